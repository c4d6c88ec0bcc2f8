/**
 * The audit trail (PCI DSS 10.2): who logged in or out, sent, opened, viewed, submitted and
 * retrieved, and every refusal with its reason. One JSON object per line. An entry holds ids,
 * codes and origins only: never a value, a one-time key, a password or a token.
 */
import { appendFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

export type AuditAction =
  | 'login'
  | 'login.password'
  | 'login.second-factor'
  | 'logout'
  | 'operator.enable'
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
  /** The operator an admin action or a transfer concerns. */
  targetOperatorId?: string;
  origin?: string;
  method?: string;
  path?: string;
}

export interface AuditSink {
  write(entry: AuditEntry): void;
  /** Drop entries older than `before` (epoch ms): the retention job. Returns how many. */
  purge?(before: number): number;
}

/** Appends JSON lines to a file created with mode 0600; purge rewrites it without the old lines. */
export function fileAuditSink(file: string): AuditSink {
  return {
    write(entry) {
      appendFileSync(file, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
    },
    purge(before) {
      if (!existsSync(file)) return 0;
      const lines = readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l !== '');
      const keep = lines.filter((line) => {
        try {
          const at = Date.parse((JSON.parse(line) as { at?: string }).at ?? '');
          return !(at < before);
        } catch {
          return true;
        }
      });
      if (keep.length === lines.length) return 0;
      const tmp = `${file}.purge`;
      writeFileSync(tmp, keep.map((l) => `${l}\n`).join(''), { mode: 0o600 });
      renameSync(tmp, file);
      return lines.length - keep.length;
    },
  };
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
      return n;
    },
  };
}
