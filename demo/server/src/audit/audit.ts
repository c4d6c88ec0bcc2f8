/**
 * The audit trail (PCI DSS 10.2): who logged in or out, sent, opened, viewed, submitted and
 * retrieved, and every refusal with its reason. One JSON object per line. An entry holds ids,
 * codes, origins and the client address only: never a value, a one-time key, a password or a token.
 *
 * Every line is bounded: the request path and the Origin header are the only free text a client
 * controls, and both are cut to a fixed length (and marked) before an entry reaches a sink.
 */
/** What an audit line records. */
export type AuditAction =
  | 'login'
  | 'login.password'
  | 'login.second-factor'
  /** A workspace token exchanged for a session (or refused), with the key id and the jti hashed. */
  | 'login.token-exchange'
  /** Single sign-on: sent to the identity provider; back from it (the claims mapped, or refused); the hand-off exchanged for a session. */
  | 'login.sso-start'
  | 'login.sso-callback'
  | 'login.sso-complete'
  /** Single sign-on: an operator whose claims no longer map was disabled and its sessions revoked. */
  | 'operator.sso-disable'
  | 'logout.sso'
  | 'logout'
  | 'operator.enable'
  /** An admin listed the site's operators. */
  | 'operator.list'
  /** An operator listed the agents a conversation can go to. */
  | 'agent.list'
  /** A sign-in refused unchecked: the operator is locked, or every attempt of its lock cycle is taken. */
  | 'login.locked'
  /** Failed sign-ins reached the lockout threshold: the operator is locked and its sessions revoked. */
  | 'operator.lock'
  /** The `unlock` operator command ended a lock (break glass). */
  | 'operator.unlock'
  /** An operator changed its own password (its other sessions ended). */
  | 'operator.password-change'
  /** The passkey answer to a sign-in's second step (a cloned authenticator is refused with PASSKEY_CLONED). */
  | 'login.passkey'
  /** An operator listed, registered (or asked options to), renamed or removed its own passkeys. */
  | 'passkey.list'
  | 'passkey.register'
  | 'passkey.rename'
  | 'passkey.remove'
  /** Options for an operator's fresh assertion of its own passkey (before an admin's reset). */
  | 'passkey.step-up'
  /** An admin removed every passkey of another operator, after its own fresh assertion. */
  | 'passkey.reset'
  | 'conversation.join'
  | 'conversation.transfer'
  | 'invitation.cancel'
  | 'invitation.expire'
  | 'history.list'
  | 'history.view'
  | 'conversation.start'
  | 'conversation.assign'
  | 'conversation.close'
  | 'message.post'
  | 'invitation.send'
  | 'invitation.open'
  | 'form.view'
  /** The frame's one request on open (`POST /invitations/:iid/view`): the open counted and the form with its submit key. */
  | 'form.open'
  | 'submission.extend'
  | 'submission.submit'
  | 'submission.retrieve'
  | 'submission.retrieve-otk'
  | 'request'
  /** An admin created, listed or revoked API credentials for the brand's chat server. */
  | 'api-credential.create'
  | 'api-credential.list'
  | 'api-credential.revoke'
  /** The brand's chat server (an API credential) acted on a conversation. */
  | 'integration.register'
  | 'integration.get'
  | 'integration.assign'
  | 'integration.transfer'
  | 'integration.close'
  | 'integration.invitations'
  /** The brand's chat server registered, listed, rotated, disabled webhook endpoints, or listed or redelivered deliveries. */
  | 'webhook.register'
  | 'webhook.list'
  | 'webhook.rotate'
  | 'webhook.retire-previous'
  | 'webhook.disable'
  | 'webhook.deliveries'
  | 'webhook.redeliver'
  /** The sender's attempts: delivered (2xx), failed and to be retried, or dead-lettered after the last attempt. */
  | 'webhook.deliver'
  | 'webhook.retry'
  | 'webhook.dead-letter'
  /** The audit log is writable again after an outage: the failure's code, since when, lines lost. */
  | 'audit.resume';

/**
 * What an action concerns: ids and reasons, never a value, a key, a secret or a token. A request
 * gathers them as its handler learns them (http/context.ts) and its audit line carries them.
 */
export interface AuditSubjects {
  siteId?: string;
  conversationId?: string;
  invitationId?: string;
  submissionId?: string;
  /** The operator an admin action or a transfer concerns. */
  targetOperatorId?: string;
  /** The API credential used or administered: its id, never its secret. */
  credentialId?: string;
  /** The webhook endpoint used or administered: its id. */
  webhookEndpointId?: string;
  /**
   * A workspace token exchange: why it was refused, the registered key named, the SHA-256 of its
   * jti, and why the site's published key set could not be read (`jwks`); never the token.
   */
  workspaceToken?: { problem?: string; keyId?: string; jtiHash?: string; jwks?: string };
  /** Single sign-on: why it was refused (shared's SSO_REFUSALS) and the library's or provider's error code; never a code, state or token. */
  sso?: { reason?: string; detail?: string };
  /** Fields a history view left out because they are not on the record in the form version: ids, never values. */
  droppedFields?: { count: number; fieldIds: string[] };
}

/** One audit line. */
export interface AuditEntry extends AuditSubjects {
  at: string;
  action: AuditAction;
  outcome: 'success' | 'refused';
  /** The refusal's error code. */
  reason?: string;
  /**
   * `operator:<id>`, `visitor:<conversationId>`, `credential:<id>` (a brand chat server),
   * `workspace-key:<kid>` (a workspace token the site's key signed, refused before its operator was
   * known), `anonymous`, or `system` (the audit log itself).
   */
  actor: string;
  /** A webhook delivery: the event's id (never its body, a secret or a signature), the attempt, the receiver's status. */
  webhookEventId?: string;
  webhookAttempt?: number;
  httpStatus?: number;
  /** The client's network address (PCI DSS 10.2.2: the origination of the event). */
  address?: string;
  origin?: string;
  /** The Origin header was longer than {@link MAX_ORIGIN_LENGTH} and was cut. */
  originTruncated?: true;
  method?: string;
  path?: string;
  /** The path was longer than {@link MAX_PATH_LENGTH} and was cut. */
  pathTruncated?: true;
  /**
   * A summary line: this many more refusals like this one (same action, reason and address)
   * were counted, not written, since `since`. On `audit.resume`: the lines lost in the outage.
   */
  repeated?: number;
  since?: string;
}

/** Where audit lines go. */
export interface AuditSink {
  write(entry: AuditEntry): void;
  /**
   * Drop entries older than `before` (epoch ms): the retention job. Returns how many entries (the
   * memory sink) or whole daily files (the file sink) it dropped.
   */
  purge?(before: number): Promise<number>;
  /** False while lines cannot be written (a full disk, a permission, a stream error). */
  writable?(): boolean;
  /** Write out what is held (counted refusals) and release the file; the sink is done after it. */
  close?(): Promise<void>;
}

/** The longest request path an audit line keeps. */
export const MAX_PATH_LENGTH = 256;
/** The longest Origin an audit line keeps (a real origin is scheme, host and port). */
export const MAX_ORIGIN_LENGTH = 128;
const MAX_ADDRESS_LENGTH = 64;
const MAX_METHOD_LENGTH = 16;

/** The entry with its client-controlled text cut to a fixed length and marked as cut. */
export function boundEntry(entry: AuditEntry): AuditEntry {
  const out = { ...entry };
  if (out.path !== undefined && out.path.length > MAX_PATH_LENGTH) {
    out.path = out.path.slice(0, MAX_PATH_LENGTH);
    out.pathTruncated = true;
  }
  if (out.origin !== undefined && out.origin.length > MAX_ORIGIN_LENGTH) {
    out.origin = out.origin.slice(0, MAX_ORIGIN_LENGTH);
    out.originTruncated = true;
  }
  if (out.address !== undefined) out.address = out.address.slice(0, MAX_ADDRESS_LENGTH);
  if (out.method !== undefined) out.method = out.method.slice(0, MAX_METHOD_LENGTH);
  return out;
}

/** Keeps entries in memory (tests). */
export function memoryAuditSink(): AuditSink & { entries: AuditEntry[] } {
  const entries: AuditEntry[] = [];
  return {
    entries,
    write: (entry) => void entries.push(entry),
    purge(before) {
      const keep = entries.filter((e) => !(Date.parse(e.at) < before));
      const n = entries.length - keep.length;
      entries.splice(0, entries.length, ...keep);
      return Promise.resolve(n);
    },
  };
}
