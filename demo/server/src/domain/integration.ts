/**
 * The brand's own chat platform, through its server: it registers its conversations here by its
 * own (external) id, gets the visitor's conversation token for its chat page, assigns, transfers
 * and closes them by its own agent ids, and reads its invitations' states.
 *
 * An external agent id maps to an operator of the same site through the sites file (an operator's
 * `externalId`); operators are provisioned there, as for the demo chat. The rules of sending and
 * retrieving do not change with who assigns: only the assigned agent sends, only the sender while
 * still assigned retrieves, and a transfer cancels the previous agent's open forms.
 */
import { randomUUID } from 'node:crypto';
import type { IntegrationConversation, IntegrationInvitation, RegisteredConversation } from '@secure-forms/shared';
import { isLocked } from '../accounts/operators.js';
import { newToken, sha256 } from '../crypto/tokens.js';
import type { ApiCredentialRow, ExternalConversationRow } from '../storage/integration-types.js';
import type { ConversationRow, OperatorRow } from '../storage/types.js';
import { ApiCredentials } from './api-credentials.js';
import type { Conversations } from './conversations.js';
import type { Invitations } from './invitations.js';
import { Refusal } from './refusal.js';
import type { Runtime } from './runtime.js';
import { iso } from './views.js';

/** A registered conversation, with its mapping to the brand's id. */
interface Registered {
  conversation: ConversationRow;
  mapping: ExternalConversationRow;
}

export class Integration {
  readonly credentials: ApiCredentials;

  constructor(
    private readonly rt: Runtime,
    private readonly conversations: Conversations,
    private readonly invitations: Invitations,
  ) {
    this.credentials = new ApiCredentials(rt);
  }

  /**
   * Register the brand's conversation `externalId` on the credential's site: a new conversation
   * (waiting) and its visitor token, or, for an id already registered, the same conversation and
   * the same token (the token is kept sealed by the vault for that).
   */
  async register(
    credential: ApiCredentialRow,
    externalId: string,
    visitorName: string | undefined,
  ): Promise<{ created: boolean; registered: RegisteredConversation }> {
    const token = newToken(this.rt.random);
    const now = this.rt.clock();
    const conversation: ConversationRow = {
      id: randomUUID(),
      siteId: credential.siteId,
      tokenHash: sha256(token),
      state: 'waiting',
      visitorName: visitorName ?? 'Visitor',
      assignedAgentId: null,
      createdAt: now,
      closedAt: null,
    };
    const mapping: ExternalConversationRow = {
      siteId: credential.siteId,
      externalId,
      conversationId: conversation.id,
      sealedToken: this.rt.vault.wrapSecret(token, conversation.id),
      createdAt: now,
    };
    const result = await this.rt.store.registerExternalConversation(conversation, mapping);
    if (result.created) {
      await this.conversations.publishState(conversation);
      return { created: true, registered: { ...(await this.view({ conversation, mapping })), conversationToken: token } };
    }
    const existing = { conversation: await this.conversations.get(result.mapping.conversationId), mapping: result.mapping };
    const sealed = await this.rt.vault.openSecret(result.mapping.sealedToken, result.mapping.conversationId);
    return { created: false, registered: { ...(await this.view(existing)), conversationToken: sealed } };
  }

  /** A conversation the credential's site registered (NOT_FOUND for any other, of any site). */
  async registered(credential: ApiCredentialRow, conversationId: string): Promise<Registered> {
    const mapping = await this.rt.store.findExternalConversation(conversationId);
    if (!mapping || mapping.siteId !== credential.siteId) throw new Refusal('NOT_FOUND', 'This site registered no such conversation.');
    return { conversation: await this.conversations.get(conversationId), mapping };
  }

  async get(credential: ApiCredentialRow, conversationId: string): Promise<IntegrationConversation> {
    return this.view(await this.registered(credential, conversationId));
  }

  /** Assign a waiting conversation to the agent the brand knows as `agentId` (again to the same one: no change). */
  async assign(credential: ApiCredentialRow, conversationId: string, agentId: string): Promise<IntegrationConversation> {
    const { mapping } = await this.registered(credential, conversationId);
    const agent = await this.agent(credential.siteId, agentId);
    const conversation = await this.conversations.assign(agent, conversationId);
    return this.view({ conversation, mapping });
  }

  /**
   * Hand the conversation to the agent `agentId`: the previous agent's forms not yet submitted are
   * cancelled, and that agent can no longer retrieve any response of this conversation.
   */
  async transfer(credential: ApiCredentialRow, conversationId: string, agentId: string): Promise<IntegrationConversation> {
    const { conversation: before, mapping } = await this.registered(credential, conversationId);
    if (before.state === 'closed') throw new Refusal('CONVERSATION_CLOSED', 'The conversation has ended.');
    const agent = await this.agent(credential.siteId, agentId);
    const { after } = await this.conversations.handOver(before, agent);
    if (before.assignedAgentId && before.assignedAgentId !== after.assignedAgentId) {
      await this.invitations.cancelOpenOf(conversationId, before.assignedAgentId);
    }
    return this.view({ conversation: after, mapping });
  }

  async close(credential: ApiCredentialRow, conversationId: string): Promise<IntegrationConversation> {
    const { mapping } = await this.registered(credential, conversationId);
    return this.view({ conversation: await this.conversations.close(conversationId), mapping });
  }

  /** The conversation's invitations and their states (expired first where due), oldest first. */
  async invitationsOf(credential: ApiCredentialRow, conversationId: string): Promise<IntegrationInvitation[]> {
    await this.registered(credential, conversationId);
    const rows = await this.rt.store.listInvitationsByConversation(conversationId);
    const out: IntegrationInvitation[] = [];
    for (const row of rows) {
      const invitation = await this.invitations.expireIfDue(row);
      out.push({
        id: invitation.id,
        formId: invitation.formId,
        state: invitation.state,
        agentId: await this.conversations.agentRef(invitation.siteId, invitation.agentId),
        sentAt: iso(invitation.sentAt),
        updatedAt: iso(invitation.updatedAt),
      });
    }
    return out;
  }

  /** The agent of the site the brand knows as `externalId`: an agent, not locked. */
  private async agent(siteId: string, externalId: string): Promise<OperatorRow> {
    const site = this.rt.sites.get(siteId);
    const spec = site?.operators.find((o) => o.externalId === externalId);
    const row = spec && (await this.rt.store.findOperatorByUsername(siteId, spec.username));
    const operator = row && (await this.rt.accounts.operators.findOperator(row.id));
    if (!site || !operator || operator.role !== 'agent') {
      throw new Refusal(
        'VALIDATION_FAILED',
        "No agent of this site has that external id. Set it as the operator's externalId in the sites file.",
        [{ path: 'agentId', reason: 'unknown_agent' }],
      );
    }
    if (isLocked(operator, site, this.rt.clock())) {
      throw new Refusal('VALIDATION_FAILED', 'That agent is locked. An administrator can re-enable it.', [
        { path: 'agentId', reason: 'disabled' },
      ]);
    }
    return operator;
  }

  private async view({ conversation, mapping }: Registered): Promise<IntegrationConversation> {
    return {
      conversationId: conversation.id,
      externalId: mapping.externalId,
      state: conversation.state,
      agentId: await this.conversations.agentRef(conversation.siteId, conversation.assignedAgentId),
      createdAt: iso(conversation.createdAt),
    };
  }
}
