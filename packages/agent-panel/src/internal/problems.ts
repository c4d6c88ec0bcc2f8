/**
 * What the panel tells the agent when something is refused or fails: a reason and the next step,
 * derived only from a stable code (never from a server message, never holding a value).
 *
 * Like the rest of the panel's messages (`components/secure-form-panel/messages.ts`), each is a
 * plain `msg(text)`: lit-localize keys its translations by a hash of the English text, so when a
 * text changes, update its translations in `xliff/` too.
 */
import { msg } from '@lit/localize';
import { SecureFormsError, type ErrorCode } from '@secure-forms/shared';

/**
 * The backend's codes, plus the panel's own:
 * - `NETWORK`: the PCI origin could not be reached (from shared's `requestJson`);
 * - `ENVELOPE_REFUSED`: the answers did not open with this invitation's key and binding;
 * - `KEY_NOT_HERE`: this page does not hold the invitation's private key (sent from another
 *   tab or before a reload, or dropped when the invitation ended);
 * - `TRANSFERRED`: the conversation passed to another agent after this panel sent its forms
 *   (the backend refuses the original sender with `NOT_ASSIGNED`); their keys and answers are gone;
 * - `CONFIG_INVALID`: `pci-origin` is not an http(s) origin.
 */
export type PanelErrorCode = ErrorCode | 'NETWORK' | 'ENVELOPE_REFUSED' | 'KEY_NOT_HERE' | 'TRANSFERRED' | 'CONFIG_INVALID';

/**
 * The codes the panel shows as "Something went wrong": the visitor's refusal the panel never gets
 * (`OPEN_LIMIT_REACHED`), request-shape refusals, sign-in refusals (the workspace signs in, not
 * the panel: passwords, second factors, workspace tokens) and the service's own failures.
 */
type GenericCode =
  | 'OPEN_LIMIT_REACHED'
  | 'VALIDATION_FAILED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'ORIGIN_NOT_ALLOWED'
  | 'INVALID_CREDENTIALS'
  | 'TOTP_WRONG'
  | 'TOTP_REUSED'
  | 'SECOND_FACTOR_REQUIRED'
  | `WORKSPACE_TOKEN_${string}`
  | `PASSKEY_${string}`
  | 'SERVICE_BUSY'
  | 'INTERNAL';

export interface Problem {
  code: PanelErrorCode;
  reason: string;
  next: string;
}

/** The code of anything thrown by the api client, the stream, or the envelope. */
export function problemCode(error: unknown): PanelErrorCode {
  if (error instanceof SecureFormsError) {
    // A body that did not match its schema tells the agent nothing more than INTERNAL does.
    return error.code === 'RESPONSE_INVALID' ? 'INTERNAL' : error.code;
  }
  if (error instanceof Error && error.name === 'EnvelopeError') return 'ENVELOPE_REFUSED';
  return 'INTERNAL';
}

/** Codes for which fetching a fresh retrieve OTK and trying again can help. */
export function canRetryRetrieve(code: PanelErrorCode): boolean {
  return /^(OTK_(EXPIRED|USED|INVALID|MISSING|WRONG_BINDING)|RATE_LIMITED|NETWORK|INTERNAL)$/.test(code);
}

/** A localized reason and next step for `code`. Call at render time so the locale applies. */
export function describeProblem(code: PanelErrorCode): Problem {
  const [reason, next] = texts(code);
  return { code, reason, next };
}

function texts(code: PanelErrorCode): [string, string] {
  switch (code) {
    case 'OTK_EXPIRED':
    case 'OTK_USED':
    case 'OTK_INVALID':
    case 'OTK_MISSING':
    case 'OTK_WRONG_ACTION':
    case 'OTK_WRONG_BINDING':
      return [
        msg('The one-time key for reading these answers has expired or was already used.'),
        msg('Select "Retrieve again" to get a fresh key and read the answers.'),
      ];
    case 'NOT_SENDER':
      return [
        msg('Only the agent who sent this form can read its answers.'),
        msg('Ask the agent who sent it, or send a new form yourself.'),
      ];
    case 'NOT_ASSIGNED':
      return [msg('You are not assigned to this conversation.'), msg('Assign the conversation to yourself, then send the form again.')];
    case 'TRANSFERRED':
      return [
        msg('This conversation was transferred to another agent, so its secure forms can no longer be read or sent here.'),
        msg('The agent who has the conversation now can send a new form if the details are still needed.'),
      ];
    case 'CONVERSATION_CLOSED':
      return [
        msg('This conversation has ended, so its secure forms can no longer be sent or read.'),
        msg('Start or pick an active conversation to collect the details again.'),
      ];
    case 'SESSION_EXPIRED':
    case 'UNAUTHENTICATED':
      return [msg('Your session has ended.'), msg('Sign in again, then retry.')];
    case 'ACCOUNT_LOCKED':
      return [msg('Your account is locked.'), msg('Ask an administrator to unlock it.')];
    case 'FORBIDDEN':
      return [noUse(), askUse()];
    case 'OFF_THE_RECORD_EXPIRED':
      return [
        msg('The off-the-record answers (such as the CVV) were deleted before they were read.'),
        msg('If you still need them, send a new form.'),
      ];
    case 'OFF_THE_RECORD_HANDED_OUT':
      return [
        msg('The off-the-record answers (such as the CVV) were already handed out once, and the service no longer holds them.'),
        msg('They stay on the page that first read them until their countdown ends. If you do not have them, send a new form.'),
      ];
    case 'INVITATION_EXPIRED':
      return [msg('This secure form has expired.'), sendNew()];
    case 'INVITATION_CANCELLED':
      return [msg('This secure form was cancelled.'), msg('Send a new form if you still need the details.')];
    case 'ALREADY_SUBMITTED':
      return [msg('This form was already submitted.'), msg('Read the answers shown below it.')];
    case 'NOT_FOUND':
    case 'FORM_NOT_FOUND':
      return [msg('The secure form or its answers no longer exist.'), msg('They may have passed their retention period. Send a new form.')];
    case 'RATE_LIMITED':
      return [msg('Too many requests in a short time.'), msg('Wait a moment, then try again.')];
    case 'NETWORK':
      return [msg('The secure forms service could not be reached.'), msg('Check your connection, then try again.')];
    case 'ENVELOPE_REFUSED':
      return [
        msg('These answers were not opened: they are not bound to this form, or were changed on the way.'),
        msg('Do not use them. Send a new form to collect the details again.'),
      ];
    case 'KEY_NOT_HERE':
      return [
        msg('This browser tab does not hold the key for these answers, so they cannot be read here.'),
        msg('Keys last only as long as the page that sent the form. Send a new form.'),
      ];
    case 'CONFIG_INVALID':
      return [
        msg('The panel is not configured with a valid secure forms address.'),
        msg('Ask your administrator to check the workspace setup.'),
      ];
    default: {
      // Every other code, checked by type only (case labels would cost the bundle their bytes).
      const generic: GenericCode = code;
      void generic;
      return [msg('Something went wrong on our side.'), msg('Try again. If it keeps failing, contact support.')];
    }
  }
}

/** Shared with the panel's permission notice. */
export const noUse = () => msg('You do not have permission to use secure forms.');
export const askUse = () => msg('Ask an administrator for the "use secure form" permission.');
const sendNew = () => msg('Send a new form.');
