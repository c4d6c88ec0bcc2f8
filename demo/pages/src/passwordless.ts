/**
 * "Sign in with a passkey" on the sign-in form, where the site allows a passkey alone
 * (`secondFactor.passwordless`): the non-cognitive route of WCAG 3.3.8, nothing to remember or
 * type. The browser offers the site's passkeys; the server's options require user verification
 * (the authenticator's PIN or biometric is the second factor). A refusal is said in the sign-in
 * form's alert with its next step; after a refused answer the next press gets fresh options.
 */
import { loginResponseSchema, SecureFormsError, stepUpOptionsResponseSchema, type LoginResponse } from '@secure-forms/shared';
import { startAuthentication, type PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/browser';
import { passkeyProblem } from './passkey-step.js';
import { passkeyLocale, passkeyText } from './passkeys-text.js';
import { call, type DemoConfig } from './pci-client.js';

/** Options are held by the server for 5 minutes: older ones are fetched again before use. */
const OPTIONS_FRESH_MS = 4 * 60 * 1000;

export interface PasswordlessView {
  /** The sign-in form: the button goes after its submit button. */
  form: HTMLFormElement;
  /** The sign-in form's alert. */
  error: HTMLElement;
  config: Promise<DemoConfig>;
  describe: (error: unknown) => string;
  signedIn: (session: LoginResponse) => Promise<void>;
}

/**
 * Add the button when the site allows a passkey alone. The page learns that by asking for the
 * options: a site without it refuses with FORBIDDEN and no button is shown. The options so
 * fetched serve the first press, so that the browser's passkey prompt follows the press at once
 * (some browsers refuse a WebAuthn call that a network wait separates from the user's gesture).
 */
export async function setUpPasswordless(view: PasswordlessView): Promise<void> {
  const config = await view.config;
  const fetchOptions = async () => ({
    options: (
      await call(config, '/sessions/passkey/options', stepUpOptionsResponseSchema, { method: 'POST', body: { siteId: config.siteId } })
    ).options as unknown as PublicKeyCredentialRequestOptionsJSON,
    at: Date.now(),
  });
  let held: { options: PublicKeyCredentialRequestOptionsJSON; at: number } | null;
  try {
    held = await fetchOptions();
  } catch {
    return; // Not offered on this site (or the server is unreachable): the password form stays the way in.
  }
  const locale = passkeyLocale();
  const t = passkeyText(locale);
  const hint = document.createElement('p');
  hint.id = 'passwordless-hint';
  hint.className = 'hint';
  hint.textContent = t.passwordlessHint;
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'secondary';
  button.id = 'passwordless-sign-in';
  button.textContent = t.passwordless;
  button.setAttribute('aria-describedby', hint.id);
  for (const element of [button, hint]) {
    element.lang = locale;
    element.dir = locale === 'ar' ? 'rtl' : 'ltr';
  }
  button.addEventListener('click', async () => {
    view.error.textContent = '';
    button.disabled = true;
    try {
      const fresh = held && Date.now() - held.at < OPTIONS_FRESH_MS ? held : await fetchOptions();
      held = null; // Used once: the server takes the challenge with the answer.
      const response = await startAuthentication({ optionsJSON: fresh.options });
      const session = await call(config, '/sessions/passkey', loginResponseSchema, {
        method: 'POST',
        body: { siteId: config.siteId, response },
      });
      button.disabled = false;
      await view.signedIn(session);
      return;
    } catch (error) {
      const code = error instanceof SecureFormsError ? error.code : '';
      view.error.textContent = code === 'PASSKEY_REFUSED' ? t.passwordlessRefused : passkeyProblem(error, t, view.describe);
    }
    button.disabled = false;
    button.focus();
  });
  view.form.querySelector('button[type="submit"]')!.after(button, hint);
}
