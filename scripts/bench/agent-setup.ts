// The agent side the browser, load and memory measurements start from.
import type { InvitationKeyPair } from '@secure-forms/shared';
import { Api, type Envelopes, type Session, generateInvitationKeyPair, sealedSubmission } from './api.ts';

/** The agent side: the API client, alice's session, the panel's key pair and one sealed submission. */
export interface Agent {
  api: Api;
  session: Session;
  keys: InvitationKeyPair;
  envelopes: Envelopes;
}

/** Sign alice in, make the panel's key pair, and seal one submission's envelopes (reused by the load). */
export async function agentSetup(demo: { pciOrigin: string; password: string }): Promise<Agent> {
  const api = new Api(demo.pciOrigin);
  const session = await api.login('alice', demo.password);
  const keys = await generateInvitationKeyPair();
  const conversation = await api.startConversation('Bench warm-up');
  await api.assign(session, conversation.id);
  const invitationId = await api.invite(session, conversation.id, keys.publicJwk);
  const view = await api.openForm(conversation, invitationId);
  const { invitationId: _bound, ...envelopes } = await sealedSubmission(view);
  return { api, session, keys, envelopes };
}
