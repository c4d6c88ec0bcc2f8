/**
 * The workspace's sign-in sequence: the password form, then the second factor the server asks
 * for (the passkey step where the operator has a passkey, the code form where the site takes
 * codes); a passkey alone where the site allows it; and single sign-on's button and hand-off. Each path ends in `signedIn` with the session;
 * a spent challenge or a lock goes back to the password with the reason under the form.
 */
import {
  SecureFormsError,
  loginResponseSchema,
  secondFactorChallengeSchema,
  type LoginResponse,
  type SecondFactorChallenge,
} from '@secure-forms/shared';
import * as z from 'zod/mini';
import { hidePasskeyStep, showPasskeyStep } from './passkey-step.js';
import { setUpPasswordless } from './passwordless.js';
import { call, type DemoConfig } from './pci-client.js';
import { endSingleSignOn, setUpSingleSignOn } from './sso.js';

export interface SignInView {
  /** The demo configuration, once loaded (a press of "Sign in" before then waits for it). */
  config: Promise<DemoConfig>;
  /** The status line ("Signing in…"). */
  status: HTMLElement;
  /** `?lang=`, or empty for the page's language. */
  locale: string;
  /** The page's words for a refusal. */
  describe: (error: unknown) => string;
  /** A session: into the workspace. */
  signedIn: (session: LoginResponse) => Promise<void>;
}

export interface SignIn {
  /** Back to the sign-in form after signing out (or a session's end). */
  reset: () => void;
  /**
   * Sign out: the session ends; a single sign-on session at the provider too, whose end-session
   * address (where the browser goes next) is the answer, if it has one.
   */
  signOut: (headers: Record<string, string>) => Promise<string | undefined>;
}

const loginOrChallenge = z.union([loginResponseSchema, secondFactorChallengeSchema]);

/** Wire the sign-in form (`#sign-in`), the passkey step (`#passkey-step`) and the code form (`#second-factor`). */
export function setUpSignIn(view: SignInView): SignIn {
  const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
  const signInForm = $<HTMLFormElement>('sign-in');
  const signInError = $<HTMLParagraphElement>('sign-in-error');
  const secondFactorForm = $<HTMLFormElement>('second-factor');
  const secondFactorError = $<HTMLParagraphElement>('second-factor-error');
  const passkeyStep = $<HTMLDivElement>('passkey-step');
  let config: DemoConfig;
  let challenge = '';
  /** Whether the session came from single sign-on: its sign-out ends the provider's session too. */
  let viaSso = false;
  void view.config.then((loaded) => (config = loaded));

  /** Into the workspace: the sign-in screens go. */
  const signedIn = async (session: LoginResponse) => {
    challenge = '';
    signInForm.hidden = true;
    secondFactorForm.hidden = true;
    hidePasskeyStep(passkeyStep);
    await view.signedIn(session);
  };

  /** Back from a second-factor step to the password, with `message` under the sign-in form. */
  const restart = (message: string) => {
    secondFactorForm.hidden = true;
    signInForm.hidden = false;
    signInError.textContent = message;
    $<HTMLInputElement>('username').focus();
  };

  /** A password or single sign-on answer: on to the second-factor form, or into the workspace. */
  const afterSignIn = async (answer: LoginResponse | SecondFactorChallenge) => {
    if (!('secondFactorRequired' in answer)) return signedIn(answer);
    view.status.textContent = '';
    challenge = answer.challenge;
    signInForm.hidden = true;
    // A passkey first where the operator has one; the code form as well where the site takes codes.
    const methods = answer.methods ?? ['totp'];
    secondFactorForm.hidden = !methods.includes('totp');
    if (methods.includes('passkey') && answer.passkey) {
      showPasskeyStep(passkeyStep, answer, { config: () => config, signedIn, restart, describe: view.describe });
      $<HTMLButtonElement>('use-passkey').focus();
    } else {
      $<HTMLInputElement>('totp').focus();
    }
  };

  signInForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(signInForm);
    signInError.textContent = '';
    view.status.textContent = 'Signing in…';
    viaSso = false;
    try {
      config = await view.config;
      const answer = await call(config, '/sessions', loginOrChallenge, {
        method: 'POST',
        body: {
          siteId: config.siteId,
          username: (data.get('username') as string | null) ?? '',
          password: (data.get('password') as string | null) ?? '',
        },
      });
      signInForm.reset();
      await afterSignIn(answer);
    } catch (error) {
      view.status.textContent = '';
      signInError.textContent = view.describe(error);
    }
  });
  // No await before the listeners: until this runs, the button is disabled in the HTML.
  signInForm.querySelector('button')!.disabled = false;

  secondFactorForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    secondFactorError.textContent = '';
    // Authenticator apps show and copy the code as "186 806": spaces and dashes are not part of it.
    const totp = ((new FormData(secondFactorForm).get('totp') as string | null) ?? '').replace(/[\s-]/g, '');
    try {
      const answer = await call(config, '/sessions/second-factor', loginResponseSchema, { method: 'POST', body: { challenge, totp } });
      secondFactorForm.reset();
      await signedIn(answer);
    } catch (error) {
      // At this step the password is proven: the server names a wrong and a reused code (only
      // wrong ones count towards the lock), and says so when a wrong one locked the account.
      const code = error instanceof SecureFormsError ? error.code : 'INTERNAL';
      const tryAgain = code === 'VALIDATION_FAILED' || code === 'TOTP_WRONG' || code === 'TOTP_REUSED';
      const message = view.describe(error);
      secondFactorError.textContent = message;
      if (!tryAgain) {
        // The challenge is spent, gone or locked: start again from the password.
        hidePasskeyStep(passkeyStep);
        restart(message);
      }
    }
  });

  void setUpPasswordless({
    form: signInForm,
    error: signInError,
    config: view.config,
    describe: view.describe,
    signedIn: (session) => {
      viaSso = false;
      return signedIn(session);
    },
  });

  void setUpSingleSignOn({
    form: signInForm,
    error: signInError,
    status: view.status,
    config: view.config,
    locale: view.locale,
    answer: (answer) => {
      viaSso = true;
      return afterSignIn(answer);
    },
    describe: view.describe,
  });

  return {
    signOut: async (headers) => {
      if (viaSso) return endSingleSignOn(config, headers);
      await call(config, '/sessions/current', z.unknown(), { method: 'DELETE', headers });
      return undefined;
    },
    reset: () => {
      hidePasskeyStep(passkeyStep);
      secondFactorForm.hidden = true;
      signInForm.hidden = false;
      $<HTMLInputElement>('username').focus();
    },
  };
}
