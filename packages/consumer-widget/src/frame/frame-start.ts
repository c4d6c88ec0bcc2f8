/**
 * What the frame page's first script hands to the frame module. The first script is inline in the
 * page (`ready.ts` says why), so the frame module cannot import from it; yet the two share code, and
 * the frame's budget has no room for two copies. So the first script leaves what the frame module
 * needs of it in one frozen object in one global, and the frame module takes it from there: the
 * host's `open` with its view request, and the first script's functions, as the frame module would
 * otherwise import them. The frame module imports only their types. The `open` carries the
 * visitor's token (or a view key) as it did when the frame module imported it. A global adds no
 * reader: a window of another origin sees none of the frame's globals, and a script of this origin
 * (the only scripts the frame's policy lets run) could reach the frame's whole page anyway.
 */
import type { parseHostMessage } from '../components/secure-form-invite/host-messages.js';
import type { bareOrigin } from './origin.js';
import type { postWithKey } from './post.js';
import type { EarlyOpen } from './view-request.js';

/** The first script's hand-over to the frame module. */
export interface FrameStart {
  /** The host's `open` and its view request; null when the frame URL's host or site is not valid. */
  readonly early: Promise<EarlyOpen> | null;
  /** The visitor's BCP 47 tag: the frame URL's `locale`, else the browser's language; the view request asked for its texts. */
  readonly locale: string;
  /** `post.ts`'s: the frame's one way to call its origin's API (the submit and extend requests). */
  readonly postWithKey: typeof postWithKey;
  /** `host-messages.ts`'s: how the host's messages are read (the frame module takes its `close`). */
  readonly parseHostMessage: typeof parseHostMessage;
  /** `origin.ts`'s: how the frame URL's host origin is checked (`<secure-form-frame>` checks it again). */
  readonly bareOrigin: typeof bareOrigin;
}

/** The global the hand-over is in. */
const GLOBAL = 'secureFormsFrameStart';
type WithStart = { [GLOBAL]?: FrameStart };

/** Leaves `start` (frozen) for the frame module. */
export function handOver(start: FrameStart): void {
  (globalThis as WithStart)[GLOBAL] = Object.freeze(start);
}

/**
 * What the first script left ({@link handOver}).
 *
 * @throws Error when it left nothing: the page's first script has not run.
 */
export function frameStart(): FrameStart {
  const start = (globalThis as WithStart)[GLOBAL];
  if (!start) throw new Error("The frame page's first script has not run.");
  return start;
}
