/**
 * The passkey step of signing in: after a right password, when the operator has a passkey the
 * site accepts, "Use a passkey" answers the second-factor challenge's WebAuthn options through
 * @simplewebauthn/browser. Nothing to remember or type (WCAG 3.3.8): the browser and the
 * authenticator do the work; the TOTP form stays below when the site also takes codes.
 *
 * A refusal is said in the step's alert with its next step. A spent, wrong or cloned passkey's
 * answer gets fresh options for another try (the sign-in's challenge lives on); an ended sign-in
 * or a lock starts again from the password.
 */
import {
  loginResponseSchema,
  SecureFormsError,
  stepUpOptionsResponseSchema,
  type LoginResponse,
  type SecondFactorChallenge,
} from '@secure-forms/shared';
import { startAuthentication, WebAuthnError, type PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/browser';
import { html, nothing, render } from 'lit';
import { call, type DemoConfig } from './pci-client.js';
import { passkeyLocale, passkeyText, type PasskeyText } from './passkeys-text.js';

export interface PasskeyStepView {
  config: () => DemoConfig;
  /** The passkey signed the operator in. */
  signedIn: (session: LoginResponse) => Promise<void>;
  /** The sign-in ended (timed out, locked): back to the password with `text`. */
  restart: (text: string) => void;
  /** The page's words for refusals this step does not name. */
  describe: (error: unknown) => string;
}

/** What a failed passkey ceremony or answer tells the operator (its words, in `t`'s language). */
export function passkeyProblem(error: unknown, t: PasskeyText, describe: (error: unknown) => string): string {
  if (error instanceof WebAuthnError || (error instanceof Error && error.name === 'NotAllowedError')) {
    const code = error instanceof WebAuthnError ? error.code : '';
    if (code === 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED') return t.alreadyThere;
    return t.cancelled;
  }
  if (error instanceof Error && error.name === 'InvalidStateError') return t.alreadyThere;
  if (!(error instanceof SecureFormsError)) return t.failed('INTERNAL');
  switch (error.code) {
    case 'PASSKEY_REFUSED':
      return t.refused;
    case 'PASSKEY_CLONED':
      return t.cloned;
    case 'PASSKEY_CHALLENGE_USED':
      return t.expired;
    case 'PASSKEY_LAST_REQUIRED':
      return t.lastRequired;
    case 'VALIDATION_FAILED':
      return t.enterName;
    default:
      return describe(error);
  }
}

/** Show the passkey step in `slot` for `challenge` (which carries the options); `hide` removes it. */
export function showPasskeyStep(slot: HTMLElement, challenge: SecondFactorChallenge, view: PasskeyStepView): void {
  const locale = passkeyLocale();
  const t = passkeyText(locale);
  let options = challenge.passkey as unknown as PublicKeyCredentialRequestOptionsJSON;
  let problem = '';
  let busy = false;
  const codesToo = challenge.methods?.includes('totp') ?? false;

  const draw = () =>
    render(
      html`<section
        class="stack sign-in passkey-step"
        aria-labelledby="passkey-step-heading"
        lang=${locale}
        dir=${locale === 'ar' ? 'rtl' : 'ltr'}
      >
        <h2 id="passkey-step-heading" tabindex="-1">${t.stepHeading}</h2>
        <p id="passkey-step-hint">${t.stepHint}</p>
        <button id="use-passkey" type="button" aria-describedby="passkey-step-hint" ?disabled=${busy} @click=${use}>${t.usePasskey}</button>
        <p id="passkey-step-error" class="error" role="alert">${problem}</p>
        ${codesToo ? html`<p>${t.orCode}</p>` : nothing}
      </section>`,
      slot,
    );

  async function use(): Promise<void> {
    busy = true;
    problem = '';
    draw();
    try {
      const response = await startAuthentication({ optionsJSON: options });
      const session = await call(view.config(), '/sessions/second-factor/passkey', loginResponseSchema, {
        method: 'POST',
        body: { challenge: challenge.challenge, response },
      });
      hidePasskeyStep(slot);
      await view.signedIn(session);
      return;
    } catch (error) {
      const code = error instanceof SecureFormsError ? error.code : '';
      if (code === 'UNAUTHENTICATED' || code === 'ACCOUNT_LOCKED' || code === 'RATE_LIMITED') {
        hidePasskeyStep(slot);
        view.restart(code === 'ACCOUNT_LOCKED' && error instanceof Error ? error.message : view.describe(error));
        return;
      }
      problem = passkeyProblem(error, t, view.describe);
      // The server took the options' challenge with the answer: ask for fresh ones for the next try.
      if (code.startsWith('PASSKEY_')) {
        options = await call(view.config(), '/sessions/second-factor/passkey-options', stepUpOptionsResponseSchema, {
          method: 'POST',
          body: { challenge: challenge.challenge },
        })
          .then((fresh) => fresh.options as unknown as PublicKeyCredentialRequestOptionsJSON)
          .catch(() => options);
      }
    }
    busy = false;
    draw();
    slot.querySelector<HTMLButtonElement>('#use-passkey')?.focus();
  }

  draw();
}

/** Remove the passkey step. */
export function hidePasskeyStep(slot: HTMLElement): void {
  render(nothing, slot);
}
