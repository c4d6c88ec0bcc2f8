/**
 * The audit trail (PCI DSS 10.2): who logged in or out, sent, opened, viewed, submitted and
 * retrieved, and every refusal with its reason. One JSON object per line. An entry holds ids,
 * codes and origins only: never a value, a one-time key, a password or a token.
 */
import { appendFileSync } from 'node:fs';

export type AuditAction =
  | 'login'
  | 'logout'
  | 'conversation.start'
  | 'conversation.assign'
  | 'conversation.close'
  | 'message.post'
  | 'invitation.send'
  | 'invitation.open'
  | 'form.view'
  | 'submission.extend'
  | 'submission.submit'
  | 'submission.retrieve'
  | 'submission.retrieve-otk'
  | 'request';

export interface AuditEntry {
  at: string;
  action: AuditAction;
  outcome: 'success' | 'refused';
  /** The refusal's error code. */
  reason?: string;
  /** `operator:<id>`, `visitor:<conversationId>`, or `anonymous`. */
  actor: string;
  siteId?: string;
  conversationId?: string;
  invitationId?: string;
  submissionId?: string;
  origin?: string;
  method?: string;
  path?: string;
}

export interface AuditSink {
  write(entry: AuditEntry): void;
}

/** Appends JSON lines to a file created with mode 0600. */
export function fileAuditSink(file: string): AuditSink {
  return {
    write(entry) {
      appendFileSync(file, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
    },
  };
}

/** Keeps entries in memory (tests). */
export function memoryAuditSink(): AuditSink & { entries: AuditEntry[] } {
  const entries: AuditEntry[] = [];
  return { entries, write: (entry) => void entries.push(entry) };
}
