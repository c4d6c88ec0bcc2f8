/**
 * What a visitor reads when something stops the secure form: one clear sentence for each stable
 * error code from `@secure-forms/shared`, always with a next step. English source strings wrapped
 * in `msg()`; translations come with the locale files.
 */
import { msg } from '@lit/localize';
import type { ClientErrorCode, ErrorCode } from '@secure-forms/shared/error-codes';

/** A backend error code, or a failure that never reached the backend (shared's client code `NETWORK`). */
export type ProblemCode = ErrorCode | Extract<ClientErrorCode, 'NETWORK'>;

export interface Problem {
  code: ProblemCode;
  /** What happened and what to do next. */
  text: string;
  /** Whether trying the same action again can help (shows a "Try again" button). */
  retry: boolean;
}

/**
 * Refusals of opening the form, which the frame reports to the invitation (`error`), and the
 * frame's own failures it does not word itself (see {@link frameProblem}). A failed connection
 * never reaches the invitation: the frame offers to try again itself.
 */
export function invitationProblem(code: ProblemCode): Problem {
  const p = (text: string, retry = false): Problem => ({ code, text, retry });
  switch (code) {
    case 'OPEN_LIMIT_REACHED':
      return p(msg('This form has been opened the maximum number of times. Ask your agent in the chat to send you a new one.'));
    case 'ALREADY_SUBMITTED':
      return p(msg('You have already sent this form. Your agent has your answers, so there is nothing more to do.'));
    case 'INVITATION_EXPIRED':
      return p(msg('This form has expired. Ask your agent in the chat to send you a new one.'));
    case 'INVITATION_CANCELLED':
      return p(msg('Your agent cancelled this form. Ask them in the chat if you still need to send it.'));
    case 'CONVERSATION_CLOSED':
      return p(msg('This chat has ended, so the form can no longer be opened. Start a new chat if you still need help.'));
    case 'RATE_LIMITED':
      return p(msg('There have been too many attempts. Wait a minute, then try again.'), true);
    case 'OTK_EXPIRED':
    case 'OTK_USED':
    case 'OTK_MISSING':
    case 'OTK_INVALID':
    case 'OTK_WRONG_ACTION':
    case 'OTK_WRONG_BINDING':
      return p(msg('The secure form timed out before it could be used. Nothing was sent. Open the form again to start over.'), true);
    case 'ORIGIN_NOT_ALLOWED':
      return p(msg('This website is not allowed to show secure forms. Tell your agent in the chat so they can help another way.'));
    case 'UNAUTHENTICATED':
    case 'FORBIDDEN':
    case 'NOT_FOUND':
      return p(
        msg('The secure form could not be opened. Refresh the page and try again. If it keeps happening, tell your agent in the chat.'),
        true,
      );
    default:
      return p(
        msg(
          'Something went wrong on our side and nothing was sent. Try again in a moment. If it keeps happening, tell your agent in the chat.',
        ),
        true,
      );
  }
}

/**
 * Failures inside the frame: loading the form with the view key, or sending the answers.
 * `retry` true means the visitor can try again here and keeps what they typed; false means the
 * form is finished and the frame tells the invitation, which offers the next step.
 */
export function frameProblem(code: ProblemCode): Problem {
  const p = (text: string, retry = false): Problem => ({ code, text, retry });
  switch (code) {
    case 'NETWORK':
      return p(
        msg(
          'Your answers were not sent because the connection failed. Your answers are still here. Check your internet connection, then try again.',
        ),
        true,
      );
    case 'RATE_LIMITED':
      return p(msg('There have been too many attempts. Wait a minute, then try again. Your answers are still here.'), true);
    case 'INTERNAL':
    case 'SERVICE_BUSY':
      return p(msg('Something went wrong on our side and nothing was sent. Your answers are still here. Try again in a moment.'), true);
    case 'OTK_EXPIRED':
      return p(msg('The time to send this form ran out, so nothing was sent. Close this form and open it again from the chat.'));
    default:
      return p(invitationProblem(code).text);
  }
}
