/**
 * The admin's view of the site's operators in the demo workspace: who is locked out, with a
 * button to let each back in (`GET /v1/operators`, `POST /v1/operators/:id/enable`), and a reset
 * of another operator's passkeys (`POST /v1/operators/:id/passkeys/reset`) that asks first and is
 * confirmed with the admin's own passkey (`POST /v1/sessions/current/step-up`). The reset's words
 * are the passkey screens' (passkeys-text.ts), in the panel's five languages.
 */
import {
  operatorListResponseSchema,
  operatorStatusSchema,
  passkeyResetResponseSchema,
  SecureFormsError,
  stepUpOptionsResponseSchema,
  type Operator,
  type OperatorStatus,
} from '@secure-forms/shared';
import { startAuthentication } from '@simplewebauthn/browser';
import { html, nothing, render } from 'lit';
import { passkeyProblem } from './passkey-step.js';
import { passkeyLocale, passkeyText } from './passkeys-text.js';
import { call, type DemoConfig } from './pci-client.js';

export interface OperatorsView {
  config: DemoConfig;
  headers: () => Record<string, string>;
  /** The signed-in admin (no reset of its own passkeys here: that is its passkey list). */
  self: string;
  /** Where the result of an action is said (a polite live region). */
  say: (text: string) => void;
  /** Says why a request failed. */
  describe: (error: unknown) => string;
  /**
   * The admin's session (workspace.ts's), aborted when it ends: the list is read with it, every
   * answer that comes after it ended is dropped, and the list is emptied and hidden then, so that
   * none of it (usernames, roles) is left in the page for the next operator who signs in.
   */
  signal: AbortSignal;
}

/** Load the operators into `section` (its table body is `#operator-rows`) and show it. */
export async function showOperators(section: HTMLElement, view: OperatorsView): Promise<void> {
  const rows = section.querySelector('tbody')!;
  const confirmSlot = section.querySelector<HTMLElement>('#passkey-reset') ?? section.appendChild(document.createElement('div'));
  confirmSlot.id = 'passkey-reset';
  const locale = passkeyLocale();
  const t = passkeyText(locale);
  let operators: OperatorStatus[] = [];
  /** The operator whose reset is being confirmed, and what went wrong with the last try. */
  let resetting: { operator: Operator; problem: string; busy: boolean } | null = null;

  const draw = () => {
    render(
      html`${operators.map(
        ({ operator, locked }) =>
          html`<tr>
            <th scope="row">${operator.displayName}</th>
            <td>${operator.username}</td>
            <td>${operator.role}</td>
            <td>${locked ? 'Locked' : 'Active'}</td>
            <td>
              <div class="actions">
                ${
                  locked
                    ? html`<button type="button" class="secondary" @click=${() => void enable(operator.id, operator.displayName)}>
                        Re-enable ${operator.displayName}
                      </button>`
                    : nothing
                }
                ${
                  operator.id === view.self
                    ? nothing
                    : html`<button
                        type="button"
                        class="secondary"
                        lang=${locale}
                        dir=${locale === 'ar' ? 'rtl' : 'ltr'}
                        data-reset=${operator.id}
                        aria-expanded=${resetting?.operator.id === operator.id ? 'true' : 'false'}
                        aria-controls="passkey-reset"
                        @click=${() => askReset(operator)}
                      >
                        ${t.resetAction(operator.displayName)}
                      </button>`
                }
              </div>
            </td>
          </tr>`,
      )}`,
      rows,
    );
    render(
      resetting
        ? html`<section
            class="stack passkey-reset"
            aria-labelledby="passkey-reset-heading"
            lang=${locale}
            dir=${locale === 'ar' ? 'rtl' : 'ltr'}
          >
            <h3 id="passkey-reset-heading" tabindex="-1">${t.resetHeading(resetting.operator.displayName)}</h3>
            <p id="passkey-reset-hint">${t.resetHint(resetting.operator.displayName)}</p>
            <p id="passkey-reset-error" class="error" role="alert">${resetting.problem}</p>
            <div class="actions">
              <button
                id="passkey-reset-confirm"
                type="button"
                aria-describedby="passkey-reset-hint"
                ?disabled=${resetting.busy}
                @click=${confirmReset}
              >
                ${t.resetConfirm}
              </button>
              <button type="button" class="secondary" @click=${cancelReset}>${t.cancel}</button>
            </div>
          </section>`
        : nothing,
      confirmSlot,
    );
  };

  const { signal } = view;
  /** The operators, read under the session; false (nothing drawn) when it ended meanwhile. */
  const load = async (): Promise<boolean> => {
    const answer = await call(view.config, '/operators', operatorListResponseSchema, { headers: view.headers(), signal });
    if (signal.aborted) return false;
    operators = answer.operators;
    draw();
    return true;
  };
  const enable = async (id: string, name: string) => {
    try {
      await call(view.config, `/operators/${encodeURIComponent(id)}/enable`, operatorStatusSchema, {
        method: 'POST',
        headers: view.headers(),
      });
      if (signal.aborted || !(await load())) return;
      // The button that had focus is gone with the lock: focus goes to the table's heading.
      section.querySelector<HTMLElement>('h2')?.focus();
      view.say(`${name} can sign in again.`);
    } catch (error) {
      if (!signal.aborted) view.say(view.describe(error));
    }
  };

  /** Open the confirmation for `operator`: nothing is removed until the admin's passkey confirms. */
  const askReset = (operator: Operator) => {
    resetting = { operator, problem: '', busy: false };
    draw();
    confirmSlot.querySelector<HTMLElement>('#passkey-reset-heading')?.focus();
  };
  /** Close the confirmation; focus back on the operator's reset button. */
  const closeReset = () => {
    const id = resetting?.operator.id ?? '';
    resetting = null;
    draw();
    rows.querySelector<HTMLButtonElement>(`button[data-reset="${CSS.escape(id)}"]`)?.focus();
  };
  const cancelReset = () => closeReset();
  const confirmReset = async () => {
    if (!resetting) return;
    const target = resetting.operator;
    resetting.busy = true;
    resetting.problem = '';
    draw();
    let stage: 'options' | 'reset' = 'options';
    try {
      const { options } = await call(view.config, '/sessions/current/step-up', stepUpOptionsResponseSchema, {
        method: 'POST',
        headers: view.headers(),
      });
      // Each step goes on only under the admin's session: `view.headers()` is the next operator's
      // once they signed in, and the admin's confirmation is not sent with it.
      if (signal.aborted) return;
      stage = 'reset';
      const response = await startAuthentication({ optionsJSON: options });
      if (signal.aborted) return;
      await call(view.config, `/operators/${encodeURIComponent(target.id)}/passkeys/reset`, passkeyResetResponseSchema, {
        method: 'POST',
        headers: view.headers(),
        body: { response },
      });
      if (signal.aborted) return;
      closeReset();
      view.say(t.resetDone(target.displayName));
    } catch (error) {
      if (signal.aborted) return;
      // No passkey of the admin's own to confirm with: the step-up options are refused.
      const ownMissing = stage === 'options' && error instanceof SecureFormsError && error.code === 'FORBIDDEN';
      resetting = { operator: target, busy: false, problem: ownMissing ? t.resetNeedsOwn : passkeyProblem(error, t, view.describe) };
      draw();
      confirmSlot.querySelector<HTMLElement>('#passkey-reset-confirm')?.focus();
    }
  };

  // The session ended: the admin's list leaves the page with it, not only hidden.
  signal.addEventListener(
    'abort',
    () => {
      section.hidden = true;
      operators = [];
      resetting = null;
      draw();
    },
    { once: true },
  );
  try {
    if (await load()) section.hidden = false;
  } catch (error) {
    if (!signal.aborted) view.say(view.describe(error));
  }
}
