/**
 * Reading the frame protocol's messages by hand, in both directions: the frame's messages on the
 * host page, and the host's `open` and `close` messages in the frame. The shared zod schemas
 * (`frameToHostSchema`, `hostToFrameSchema`) would pull zod's parser into the brand's page and
 * into the frame for a few tiny shapes, so they are checked here exactly as strictly: a plain
 * object, our protocol marker, a known type, and each field of the right shape (a differential
 * test holds them equal to the schemas). Anything else is `null` and ignored. No message carries
 * a value.
 */
import type { ErrorCode } from '@secure-forms/shared/error-codes';
import { OTK_PATTERN, TOKEN_PATTERN, UUID_PATTERN } from '@secure-forms/shared/format-patterns';
import { FRAME_PROTOCOL } from '@secure-forms/shared/frame-url';
import type { FrameToHost, HostToFrame } from '@secure-forms/shared/protocol';

/** A message from the frame as the host keeps it: shared's `FrameToHost`, each without its protocol marker. */
export type FrameMessage = FrameToHost extends infer M ? (M extends FrameToHost ? Omit<M, 'protocol'> : never) : never;

/** The host's `open`: which invitation, and the visitor's token (or a view key) that opens its form. */
export type OpenMessage = Extract<HostToFrame, { type: 'open' }>;

function record(data: unknown): Record<string, unknown> | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
  const proto: unknown = Object.getPrototypeOf(data);
  return proto === Object.prototype || proto === null ? (data as Record<string, unknown>) : null;
}

/** Whether `value` is a string that `pattern` matches (the patterns are anchored: all of it). */
function isText(value: unknown, pattern: RegExp): value is string {
  return typeof value === 'string' && pattern.test(value);
}

/** A number of CSS pixels from `min` to 10 000 (the protocol's bounds); NaN and infinities are not. */
function px(n: unknown, min: number): n is number {
  return typeof n === 'number' && n >= min && n <= 10_000;
}

/** A message from the frame, or null for anything that is not exactly one. */
export function parseFrameMessage(data: unknown, knownCodes: ReadonlySet<string>): FrameMessage | null {
  const d = record(data);
  if (!d || d.protocol !== FRAME_PROTOCOL) return null;
  switch (d.type) {
    case 'ready':
    case 'closed':
    case 'escape':
    case 'confirming':
      return { type: d.type };
    case 'resize':
      return px(d.height, 0) ? { type: 'resize', height: d.height } : null;
    case 'opened':
      return typeof d.opensLeft === 'number' && Number.isInteger(d.opensLeft) && d.opensLeft >= 0
        ? { type: 'opened', opensLeft: d.opensLeft }
        : null;
    case 'focus':
      return px(d.top, -10_000) && px(d.bottom, -10_000) ? { type: 'focus', top: d.top, bottom: d.bottom } : null;
    case 'submitted':
      return isText(d.submissionId, UUID_PATTERN) ? { type: 'submitted', submissionId: d.submissionId } : null;
    case 'error':
      return typeof d.code === 'string' && knownCodes.has(d.code) ? { type: 'error', code: d.code as ErrorCode } : null;
    default:
      return null;
  }
}

/**
 * The host's `open` or `close` message, or null for anything that is not exactly one (as
 * `hostToFrameSchema`): an `open` with the visitor's token, else one with a view key.
 */
export function parseHostMessage(data: unknown): HostToFrame | null {
  const d = record(data);
  if (d?.protocol !== FRAME_PROTOCOL) return null;
  if (d.type === 'close') return { protocol: FRAME_PROTOCOL, type: 'close' };
  const { invitationId, conversationToken, viewOtk } = d;
  if (d.type !== 'open' || !isText(invitationId, UUID_PATTERN)) return null;
  if (isText(conversationToken, TOKEN_PATTERN)) return { protocol: FRAME_PROTOCOL, type: 'open', invitationId, conversationToken };
  return isText(viewOtk, OTK_PATTERN) ? { protocol: FRAME_PROTOCOL, type: 'open', invitationId, viewOtk } : null;
}

/** Whether `id` looks like an invitation id (a UUID) before it goes into a URL path. */
export function isUuid(id: string): boolean {
  return UUID_PATTERN.test(id);
}
