/**
 * The postMessage protocol between the host page (`<secure-form-invite>`) and the form frame on
 * the PCI origin. Both sides post with an exact targetOrigin and accept only an exact
 * event.origin from the expected window; anything that does not parse here is ignored.
 * No message ever carries a field value.
 */
import * as z from 'zod/mini';
import { errorCodeSchema } from './errors.js';
import { OTK_PATTERN, TOKEN_PATTERN, uuidSchema } from './formats.js';
import { FRAME_PROTOCOL } from './frame-url.js';

export { FRAME_PATH, FRAME_PROTOCOL, frameUrl } from './frame-url.js';

// Written out in each message (not spread from a shared object) so that bundlers can drop the
// schemas a bundle does not use: an object spread counts as a side effect.

/**
 * Host to frame: `open` and `close`, both sent only after the frame said `ready`. `open` comes in
 * two forms, told apart by their credential: the visitor's conversation token (the frame opens the
 * invitation and gets its form in one request, `POST /v1/invitations/:iid/view`), or a view key
 * from the host's own open request (`POST /v1/forms/view`; the form before this release, still
 * accepted from a page loaded before it). Of a message carrying both, the token counts.
 */
export const hostToFrameSchema = z.union([
  /** Which invitation to open, with the visitor's token; taken once, and only while the frame waits for it. */
  z.object({
    protocol: z.literal(FRAME_PROTOCOL),
    type: z.literal('open'),
    invitationId: uuidSchema,
    /**
     * The visitor's conversation token, which the host page holds anyway: it goes only in the
     * header of the frame's one request to its own origin. Not in the frame's URL, so not in any
     * history or log.
     */
    conversationToken: z.string().check(z.regex(TOKEN_PATTERN)),
  }),
  /** Which invitation to load, with the view key the host's open request got. */
  z.object({
    protocol: z.literal(FRAME_PROTOCOL),
    type: z.literal('open'),
    invitationId: uuidSchema,
    /** Loads the form once; never reads data. Not in the frame's URL, so not in any history or log. */
    viewOtk: z.string().check(z.regex(OTK_PATTERN)),
  }),
  /**
   * The visitor pressed the host dialog's Close (or Escape on the host side of the dialog). Carries
   * nothing: the cross-origin host cannot know whether answers are typed, so it asks the frame,
   * which answers `confirming` (it asks the visitor first) or `escape` (nothing to lose: close).
   * Accepted for the frame's whole life.
   */
  z.object({ protocol: z.literal(FRAME_PROTOCOL), type: z.literal('close') }),
]);
export type HostToFrame = z.infer<typeof hostToFrameSchema>;

export const frameToHostSchema = z.discriminatedUnion('type', [
  z.object({ protocol: z.literal(FRAME_PROTOCOL), type: z.literal('ready') }),
  /**
   * The form arrived for a token `open`: how many more times the visitor may open it (the host
   * says so once the form is closed, and offers no Open button when none are left).
   */
  z.object({ protocol: z.literal(FRAME_PROTOCOL), type: z.literal('opened'), opensLeft: z.int().check(z.minimum(0)) }),
  z.object({ protocol: z.literal(FRAME_PROTOCOL), type: z.literal('resize'), height: z.number().check(z.minimum(0), z.maximum(10_000)) }),
  /**
   * After a key pressed in the frame: the top and bottom of the element that has focus, in the
   * frame's viewport (negative above it), and nothing else about it (no value, name or id). WebKit
   * does not scroll the host page's scroll containers (a chat transcript) to show focus inside a
   * cross-origin frame, so the host brings that strip of the frame into view (WCAG 2.4.11).
   */
  z.object({
    protocol: z.literal(FRAME_PROTOCOL),
    type: z.literal('focus'),
    top: z.number().check(z.minimum(-10_000), z.maximum(10_000)),
    bottom: z.number().check(z.minimum(-10_000), z.maximum(10_000)),
  }),
  z.object({ protocol: z.literal(FRAME_PROTOCOL), type: z.literal('submitted'), submissionId: uuidSchema }),
  z.object({ protocol: z.literal(FRAME_PROTOCOL), type: z.literal('closed') }),
  /**
   * The visitor pressed Escape inside the frame. Keys typed in a cross-origin frame never reach
   * the host's `<dialog>`, so without this Escape would not close the modal dialog (WCAG 2.1.2
   * expectations for dialogs). The host closes a modal dialog and ignores it inline.
   */
  z.object({ protocol: z.literal(FRAME_PROTOCOL), type: z.literal('escape') }),
  /**
   * The answer to the host's `close` when answers would be lost: the frame is asking the visitor
   * "Close this form?". Carries nothing. The host moves focus into the frame and keeps the dialog
   * open; the frame later posts `closed` if the visitor chooses to delete the answers.
   */
  z.object({ protocol: z.literal(FRAME_PROTOCOL), type: z.literal('confirming') }),
  z.object({ protocol: z.literal(FRAME_PROTOCOL), type: z.literal('error'), code: errorCodeSchema }),
]);
export type FrameToHost = z.infer<typeof frameToHostSchema>;
