/**
 * "Sign in with <provider>" on the workspace's sign-in screen, when the site has single sign-on
 * (`GET /v1/sso/{siteId}`). The button sends the browser to the PCI origin's start route, which
 * goes on to the brand's identity provider; the way back lands here with a one-time hand-off code
 * in the URL fragment, which this module takes out of the address bar at once and exchanges at
 * `POST /v1/sso/complete` for the session (or the second-factor challenge) a password sign-in
 * gives. Its words are in the panel's five languages, chosen by `?lang=` as the panel's are, and
 * right to left in Arabic. Signing out of such a session ends it at `POST /v1/sso/{siteId}/logout`
 * and then at the provider (RP-initiated logout), which sends the browser back to this page.
 */
import {
  loginResponseSchema,
  resolveLocale,
  directionOf,
  secondFactorChallengeSchema,
  SecureFormsError,
  ssoLogoutResponseSchema,
  ssoProviderResponseSchema,
  type LoginResponse,
  type SecondFactorChallenge,
} from '@secure-forms/shared';
import * as z from 'zod/mini';
import { call, type DemoConfig } from './pci-client.js';

const LOCALES = ['en', 'es', 'fr', 'de', 'ar'] as const;
type Locale = (typeof LOCALES)[number];

/** The module's words: the button (`{provider}` is the provider's name), and what a refusal tells the operator to do. */
const WORDS: Record<Locale, { button: string; failed: string; notPermitted: string; unavailable: string; signingIn: string }> = {
  en: {
    button: 'Sign in with {provider}',
    failed: 'Single sign-on did not complete. Sign in again.',
    notPermitted: 'Your account has no access to Secure Forms. Ask your identity provider’s administrator to add you to the right group.',
    unavailable: 'The identity provider could not be reached. Try again in a minute.',
    signingIn: 'Signing in…',
  },
  es: {
    button: 'Iniciar sesión con {provider}',
    failed: 'El inicio de sesión único no se completó. Inicie sesión de nuevo.',
    notPermitted:
      'Su cuenta no tiene acceso a Secure Forms. Pida al administrador de su proveedor de identidad que le añada al grupo correcto.',
    unavailable: 'No se pudo contactar con el proveedor de identidad. Inténtelo de nuevo en un minuto.',
    signingIn: 'Iniciando sesión…',
  },
  fr: {
    button: 'Se connecter avec {provider}',
    failed: 'L’authentification unique n’a pas abouti. Connectez-vous à nouveau.',
    notPermitted:
      'Votre compte n’a pas accès à Secure Forms. Demandez à l’administrateur de votre fournisseur d’identité de vous ajouter au bon groupe.',
    unavailable: 'Le fournisseur d’identité est injoignable. Réessayez dans une minute.',
    signingIn: 'Connexion…',
  },
  de: {
    button: 'Mit {provider} anmelden',
    failed: 'Die einmalige Anmeldung wurde nicht abgeschlossen. Melden Sie sich erneut an.',
    notPermitted:
      'Ihr Konto hat keinen Zugriff auf Secure Forms. Bitten Sie die Administration Ihres Identitätsanbieters, Sie der richtigen Gruppe hinzuzufügen.',
    unavailable: 'Der Identitätsanbieter ist nicht erreichbar. Versuchen Sie es in einer Minute erneut.',
    signingIn: 'Anmeldung…',
  },
  ar: {
    button: 'تسجيل الدخول باستخدام {provider}',
    failed: 'لم يكتمل تسجيل الدخول الموحد. سجّل الدخول مرة أخرى.',
    notPermitted: 'لا يملك حسابك صلاحية الوصول إلى Secure Forms. اطلب من مسؤول موفّر الهوية إضافتك إلى المجموعة الصحيحة.',
    unavailable: 'تعذّر الوصول إلى موفّر الهوية. حاول مرة أخرى بعد دقيقة.',
    signingIn: 'جارٍ تسجيل الدخول…',
  },
};

const answerSchema = z.union([loginResponseSchema, secondFactorChallengeSchema]);

export interface SingleSignOnOptions {
  /** The sign-in form: the button goes at its end, before its error line. */
  form: HTMLFormElement;
  /** Where refusals are shown (the sign-in form's alert). */
  error: HTMLElement;
  /** The status line ("Signing in…"). */
  status: HTMLElement;
  config: Promise<DemoConfig>;
  /** `?lang=`, or empty for the page's language. */
  locale: string;
  /** A session or a second-factor challenge, as a password sign-in's answer is handled. */
  answer: (answer: LoginResponse | SecondFactorChallenge) => Promise<void>;
  /** The workspace's words for the codes every sign-in shares (a locked account, the network). */
  describe: (error: unknown) => string;
}

/** Add the button when the site has single sign-on, and finish a sign-in the provider sent back here. */
export async function setUpSingleSignOn(options: SingleSignOnOptions): Promise<void> {
  const locale = resolveLocale(options.locale || document.documentElement.lang, LOCALES, 'en') as Locale;
  const words = WORDS[locale];
  // The refusal's `sso` reason (shared's SSO_REFUSALS) says which of its words apply; other codes are the workspace's.
  const describe = (error: unknown) => {
    const reason = error instanceof SecureFormsError ? error.fields?.find((f) => f.path === 'sso')?.reason : undefined;
    if (reason === 'not_mapped') return words.notPermitted;
    if (reason === 'unavailable') return words.unavailable;
    return reason ? words.failed : options.describe(error);
  };
  // The hand-off code leaves the address bar (and the history entry) before anything else.
  const handoff = /^#sso=([A-Za-z0-9_-]+)$/.exec(location.hash)?.[1];
  if (handoff) history.replaceState(null, '', `${location.pathname}${location.search}`);
  const config = await options.config;
  if (handoff) {
    options.status.textContent = words.signingIn;
    try {
      await options.answer(await call(config, '/sso/complete', answerSchema, { method: 'POST', body: { siteId: config.siteId, handoff } }));
    } catch (error) {
      options.status.textContent = '';
      options.error.textContent = describe(error);
    }
  }
  let provider: string;
  try {
    provider = (await call(config, `/sso/${encodeURIComponent(config.siteId)}`, ssoProviderResponseSchema)).providerName;
  } catch {
    return; // No single sign-on on this site: local accounts only.
  }
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'secondary';
  button.id = 'sso-sign-in';
  button.textContent = words.button.replace('{provider}', provider);
  if (locale !== 'en') {
    button.lang = locale;
    button.dir = directionOf(locale);
  }
  button.addEventListener('click', () => {
    const returnTo = `${location.origin}${location.pathname}${location.search}`;
    location.assign(`${config.pciOrigin}/v1/sso/${encodeURIComponent(config.siteId)}/start?returnTo=${encodeURIComponent(returnTo)}`);
  });
  options.form.insertBefore(button, options.error);
}

/**
 * End a single sign-on session: the PCI session ends first, then the answer's `endSessionUrl` (the
 * provider's end-session endpoint, with this site's client and this page as the way back, which
 * the server accepts only on the site's brand origins) is where the browser goes next; undefined
 * when the provider has none.
 */
export async function endSingleSignOn(config: DemoConfig, headers: Record<string, string>): Promise<string | undefined> {
  const returnTo = `${location.origin}${location.pathname}${location.search}`;
  const { endSessionUrl } = await call(
    config,
    `/sso/${encodeURIComponent(config.siteId)}/logout?returnTo=${encodeURIComponent(returnTo)}`,
    ssoLogoutResponseSchema,
    { method: 'POST', headers },
  );
  // Only a web address leaves the page (never a javascript: or data: URL, whatever the answer says).
  return endSessionUrl && /^https?:$/.test(new URL(endSessionUrl).protocol) ? endSessionUrl : undefined;
}
