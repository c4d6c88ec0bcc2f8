/**
 * The signed-in operator changes its own password (`POST /v1/sessions/current/password`) from the
 * workspace: the header's "Change password" button opens a small form (current, new, confirm).
 * Problems show as an error summary that takes focus, with a link to each field, and a message
 * beside each field (the pattern of the form frame, after GOV.UK's); success is said in the page's
 * status region and focus goes back to the button that opened the form.
 *
 * The form is drawn only while open: closed, its fields are not in the page at all, so the typed
 * passwords go with it and the sign-in form's "Password" stays the page's only field of that name.
 */
import { SecureFormsError } from '@secure-forms/shared';
import { html, nothing, render } from 'lit';
import * as z from 'zod/mini';
import { call, type DemoConfig } from './pci-client.js';

export interface PasswordChangeView {
  config: () => DemoConfig;
  headers: () => Record<string, string>;
  /** Say something in the page's status region (polite). */
  say: (text: string) => void;
  /** Says why a request failed, for refusals that no field explains. */
  describe: (error: unknown) => string;
  /** The session ended (a wrong current password locked the account, or it expired): show sign-in with `text`. */
  signedOut: (text: string) => void;
  /**
   * The signed-in operator's session signal (workspace.ts's), aborted when it ends: the answer to
   * a change asked for under a session that has ended since is dropped, never said to the next
   * operator who signs in (nor does its refusal sign that operator out).
   */
  session: () => AbortSignal;
}

type Field = 'current-password' | 'new-password' | 'confirm-password';
/** One problem: the field it belongs to (linked from the summary), or none. */
interface Problem {
  field?: Field;
  text: string;
}

/** The server's limit on each password (changePasswordRequestSchema). */
const MAX_LENGTH = 1024;
const NEW_PASSWORD_HINT = 'At least 12 characters, with letters and digits. Not one of the most common passwords, and none of your last 4.';

/** Wire `opener` to open the form in `slot`; `close` empties and removes the form (at sign-out). */
export function setUpPasswordChange(opener: HTMLButtonElement, slot: HTMLElement, view: PasswordChangeView): { close: () => void } {
  let open = false;
  let problems: Problem[] = [];
  const input = (field: Field) => slot.querySelector<HTMLInputElement>(`#${field}`)!;

  const field = (id: Field, label: string, autocomplete: string, hint?: string) => {
    const problem = problems.find((p) => p.field === id);
    const describedBy = [hint ? `${id}-hint` : '', problem ? `${id}-error` : ''].filter(Boolean).join(' ');
    // type=password with autocomplete and no paste blocking: a password manager fills and pastes
    // freely, so changing a password asks no memory test (WCAG 3.3.8).
    return html`<label for=${id}>${label}</label>
      ${hint ? html`<p id="${id}-hint" class="hint">${hint}</p>` : nothing}
      ${problem ? html`<p id="${id}-error" class="field-error">${problem.text}</p>` : nothing}
      <input
        id=${id}
        name=${id}
        type="password"
        autocomplete=${autocomplete}
        aria-invalid=${problem ? 'true' : nothing}
        aria-describedby=${describedBy || nothing}
        required
      />`;
  };

  const summary = () =>
    problems.length === 0
      ? nothing
      : html`<div class="error-summary">
          <div role="alert" tabindex="-1" aria-labelledby="change-password-problem">
            <h3 id="change-password-problem">There is a problem</h3>
            <ul>
              ${problems.map(({ field: id, text }) =>
                id
                  ? html`<li>
                      <a
                        href="#${id}"
                        @click=${(event: Event) => {
                          // Focus the field itself, not only scroll to it: a keyboard user types next.
                          event.preventDefault();
                          input(id).focus();
                        }}
                        >${text}</a
                      >
                    </li>`
                  : html`<li>${text}</li>`,
              )}
            </ul>
          </div>
        </div>`;

  const draw = () =>
    render(
      open
        ? html`<form class="stack change-password" aria-labelledby="change-password-heading" novalidate @submit=${submit}>
            <h2 id="change-password-heading">Change password</h2>
            ${summary()} ${field('current-password', 'Current password', 'current-password')}
            ${field('new-password', 'New password', 'new-password', NEW_PASSWORD_HINT)}
            ${field('confirm-password', 'Confirm new password', 'new-password')}
            <div class="actions">
              <button type="submit">Save new password</button>
              <button type="button" class="secondary" @click=${cancel}>Cancel</button>
            </div>
          </form>`
        : nothing,
      slot,
    );

  const show = (found: Problem[]) => {
    problems = found;
    draw();
    // As the form frame's summary: an alert named by its heading, and focused, so that its links
    // are next in the tab order (WCAG 3.3.1).
    slot.querySelector<HTMLElement>('.error-summary [role="alert"]')?.focus();
  };

  const close = () => {
    open = false;
    problems = [];
    draw();
    opener.setAttribute('aria-expanded', 'false');
  };

  function cancel(): void {
    close();
    opener.focus();
  }

  async function submit(event: Event): Promise<void> {
    event.preventDefault();
    const currentPassword = input('current-password').value;
    const newPassword = input('new-password').value;
    const found = localProblems(currentPassword, newPassword, input('confirm-password').value);
    if (found.length > 0) {
      show(found);
      return;
    }
    const signal = view.session();
    try {
      await call(view.config(), '/sessions/current/password', z.unknown(), {
        method: 'POST',
        headers: view.headers(),
        body: { currentPassword, newPassword },
      });
      // A write: not aborted (the change stands at the server either way), its answer dropped.
      if (signal.aborted) return;
      close();
      view.say('Your password is changed. Your other sessions are signed out.');
      opener.focus();
    } catch (error) {
      if (signal.aborted) return;
      const code = error instanceof SecureFormsError ? error.code : 'INTERNAL';
      if (code === 'ACCOUNT_LOCKED' || code === 'UNAUTHENTICATED' || code === 'SESSION_EXPIRED') {
        close();
        // A lock's own sentence says for how long; the page's wording covers an ended session.
        view.signedOut(code === 'ACCOUNT_LOCKED' && error instanceof Error ? error.message : view.describe(error));
        return;
      }
      show([refusalProblem(error, view.describe)]);
    }
  }

  opener.addEventListener('click', () => {
    if (!open) {
      open = true;
      problems = [];
      draw();
      opener.setAttribute('aria-expanded', 'true');
    }
    input('current-password').focus();
  });

  return { close };
}

/** What can be said before asking the server: empty fields, a confirmation that differs. */
function localProblems(current: string, next: string, confirm: string): Problem[] {
  const problems: Problem[] = [];
  if (current === '') problems.push({ field: 'current-password', text: 'Enter your current password.' });
  if (next === '') problems.push({ field: 'new-password', text: 'Enter a new password.' });
  else if (next.length > MAX_LENGTH) problems.push({ field: 'new-password', text: `Use at most ${MAX_LENGTH} characters.` });
  else if (confirm !== next) {
    problems.push({ field: 'confirm-password', text: 'The two new passwords are not the same. Enter the new password again.' });
  }
  return problems;
}

/**
 * The server's refusal as a problem: its own sentence for a wrong current password and for a new
 * password it refused (each says what to do), the page's wording for anything else.
 */
function refusalProblem(error: unknown, describe: (error: unknown) => string): Problem {
  if (!(error instanceof SecureFormsError)) return { text: describe(error) };
  if (error.code === 'INVALID_CREDENTIALS') return { field: 'current-password', text: error.message };
  if (error.code === 'VALIDATION_FAILED' && error.fields?.some((f) => f.path === 'newPassword')) {
    return { field: 'new-password', text: error.message };
  }
  return { text: describe(error) };
}
