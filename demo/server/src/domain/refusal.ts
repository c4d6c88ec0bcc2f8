/**
 * What the domain throws when it refuses a request: shared's {@link SecureFormsError}, with a
 * stable code from ERROR_CODES and a fixed sentence that never echoes a value, a one-time key, a
 * token or a password. The HTTP layer alone turns the code into a status (http/errors.ts).
 */
import { SecureFormsError, type ErrorCode, type FieldIssue } from '@secure-forms/shared';

/** A refusal, with what the answer and its audit line may need beyond the code and message. */
export class Refusal extends SecureFormsError {
  declare readonly code: ErrorCode;
  /** The operator a refusal concerns, for the audit line (e.g. a failed second factor). */
  actorId?: string;
  /** Seconds after which trying again may succeed (a rate limit, a busy gate). */
  retryAfterSeconds?: number;

  /** Status 0: the domain has no HTTP status; http/ derives it from the code. */
  constructor(code: ErrorCode, message: string, fields?: FieldIssue[]) {
    super(code, message, 0, fields);
  }

  withActor(operatorId: string): this {
    this.actorId = operatorId;
    return this;
  }

  retryAfter(seconds: number): this {
    this.retryAfterSeconds = seconds;
    return this;
  }
}
