// The agent side the browser, load and memory measurements start from.
import { Api, generateInvitationKeyPair, sealedSubmission } from './api.mjs';

/** Sign alice in, make the panel's key pair, and seal one submission's envelopes (reused by the load). */
export async function agentSetup(demo) {
  const api = new Api(demo.pciOrigin);
  const session = await api.login('alice', demo.password);
  const keys = await generateInvitationKeyPair();
  const conversation = await api.startConversation('Bench warm-up');
  await api.assign(session, conversation.id);
  const invitationId = await api.invite(session, conversation.id, keys.publicJwk);
  const view = await api.view(await api.open(conversation, invitationId));
  const { invitationId: _bound, ...envelopes } = await sealedSubmission(view);
  return { api, session, keys, envelopes };
}
