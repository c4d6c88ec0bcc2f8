/**
 * The signed-in operator's passkeys in the workspace: the header's "Passkeys" button opens the
 * list (name, when added, when last used; rename, remove) with a form to add one through
 * @simplewebauthn/browser. Right after a sign-in with none, the list opens by itself as the offer
 * to enrol one, without taking focus from the queue; its slot is last in the page (agent.html), so
 * the offer, however late it comes, moves nothing already shown. Problems show as an error summary that
 * takes focus, as the password change does; success is said in the page's status region.
 */
import {
  passkeyListResponseSchema,
  passkeyRegistrationOptionsResponseSchema,
  passkeySchema,
  SecureFormsError,
  type Passkey,
} from '@secure-forms/shared';
import { startRegistration, type PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/browser';
import { html, nothing, render } from 'lit';
import * as z from 'zod/mini';
import { passkeyProblem } from './passkey-step.js';
import { call, type DemoConfig } from './pci-client.js';
import { passkeyDate, passkeyLocale, passkeyText } from './passkeys-text.js';

export interface PasskeysView {
  config: () => DemoConfig;
  headers: () => Record<string, string>;
  say: (text: string) => void;
  describe: (error: unknown) => string;
  signedOut: (text: string) => void;
  /**
   * The signed-in operator's session signal (workspace.ts's), aborted when it ends: reads are
   * asked for with it, and an answer that comes after it ended is dropped, never shown or said to
   * the next operator who signs in on the page.
   */
  session: () => AbortSignal;
}

/** Wire `opener` to the passkey list drawn in `slot`. */
export function setUpPasskeys(opener: HTMLButtonElement, slot: HTMLElement, view: PasskeysView) {
  const locale = passkeyLocale();
  const t = passkeyText(locale);
  opener.textContent = t.open;
  opener.lang = locale;
  let open = false;
  let passkeys: Passkey[] = [];
  let renaming: string | null = null;
  let problem: { text: string; field?: string } | null = null;
  const $ = <T extends HTMLElement>(selector: string) => slot.querySelector<T>(selector);

  const summary = () =>
    problem
      ? html`<div class="error-summary">
          <div role="alert" tabindex="-1" aria-labelledby="passkeys-problem">
            <h3 id="passkeys-problem">${t.problem}</h3>
            <ul>
              <li>
                ${
                  problem.field
                    ? html`<a
                        href="#${problem.field}"
                        @click=${(event: Event) => {
                          event.preventDefault();
                          $<HTMLInputElement>(`#${problem?.field ?? ''}`)?.focus();
                        }}
                        >${problem.text}</a
                      >`
                    : problem.text
                }
              </li>
            </ul>
          </div>
        </div>`
      : nothing;

  const item = (p: Passkey) =>
    renaming === p.id
      ? html`<li>
          <form class="stack" novalidate @submit=${(e: Event) => rename(e, p)}>
            <label for="passkey-rename">${t.renameLabel(p.name)}</label>
            <input id="passkey-rename" name="name" maxlength="60" autocomplete="off" .value=${p.name} required />
            <div class="actions">
              <button type="submit">${t.save}</button>
              <button type="button" class="secondary" @click=${() => stopRenaming(p)}>${t.cancel}</button>
            </div>
          </form>
        </li>`
      : html`<li>
          <strong>${p.name}</strong>
          <span>${t.created(passkeyDate(p.createdAt, locale))}</span>
          <span>${p.lastUsedAt ? t.lastUsed(passkeyDate(p.lastUsedAt, locale)) : t.neverUsed}</span>
          <div class="actions">
            <button type="button" class="secondary" data-rename=${p.id} @click=${() => startRenaming(p)}>${t.rename(p.name)}</button>
            <button type="button" class="secondary" data-remove=${p.id} @click=${() => remove(p)}>${t.remove(p.name)}</button>
          </div>
        </li>`;

  const draw = () =>
    render(
      open
        ? html`<section class="stack passkeys" aria-labelledby="passkeys-heading" lang=${locale} dir=${locale === 'ar' ? 'rtl' : 'ltr'}>
            <h2 id="passkeys-heading" tabindex="-1">${t.managerHeading}</h2>
            ${summary()}
            ${
              passkeys.length === 0
                ? html`<p>${t.none}</p>
                    <p>${t.enrolHint}</p>`
                : html`<ul class="passkey-list">
                    ${passkeys.map(item)}
                  </ul>`
            }
            <form class="stack" novalidate @submit=${add}>
              <label for="passkey-name">${t.nameLabel}</label>
              <p id="passkey-name-hint" class="hint">${t.nameHint}</p>
              <input
                id="passkey-name"
                name="name"
                maxlength="60"
                autocomplete="off"
                aria-describedby="passkey-name-hint"
                aria-invalid=${problem?.field === 'passkey-name' ? 'true' : nothing}
                .value=${t.defaultName}
              />
              <div class="actions">
                <button type="submit">${t.add}</button>
                <button type="button" class="secondary" @click=${closeAndReturn}>${t.close}</button>
              </div>
            </form>
          </section>`
        : nothing,
      slot,
    );

  const fail = (error: unknown, field?: string) => {
    const code = error instanceof SecureFormsError ? error.code : '';
    if (code === 'UNAUTHENTICATED' || code === 'SESSION_EXPIRED' || code === 'ACCOUNT_LOCKED') {
      close();
      view.signedOut(view.describe(error));
      return;
    }
    problem = { text: passkeyProblem(error, t, view.describe), ...(field ? { field } : {}) };
    draw();
    $<HTMLElement>('.error-summary [role="alert"]')?.focus();
  };

  /** The operator's passkeys, read under `signal`; false (nothing changed) when the session ended meanwhile. */
  const load = async (signal: AbortSignal): Promise<boolean> => {
    const answer = await call(view.config(), '/sessions/current/passkeys', passkeyListResponseSchema, { headers: view.headers(), signal });
    if (signal.aborted) return false;
    passkeys = answer.passkeys;
    return true;
  };

  async function add(event: Event): Promise<void> {
    event.preventDefault();
    const name = ($<HTMLInputElement>('#passkey-name')?.value ?? '').trim();
    if (name === '' || name.length > 60) {
      fail(new SecureFormsError('VALIDATION_FAILED', ''), 'passkey-name');
      return;
    }
    const signal = view.session();
    try {
      const { options } = await call(view.config(), '/sessions/current/passkeys/options', passkeyRegistrationOptionsResponseSchema, {
        method: 'POST',
        headers: view.headers(),
      });
      // Each step goes on only under the session that began it: `view.headers()` is the next
      // operator's once they signed in, and the previous operator's passkey is not sent with it.
      if (signal.aborted) return;
      const response = await startRegistration({ optionsJSON: options as unknown as PublicKeyCredentialCreationOptionsJSON });
      if (signal.aborted) return;
      const created = await call(view.config(), '/sessions/current/passkeys', passkeySchema, {
        method: 'POST',
        headers: view.headers(),
        body: { response, name },
      });
      // The session ended meanwhile: "added" is not said to the next operator (the write stands).
      if (signal.aborted) return;
      problem = null;
      if (!(await load(signal))) return;
      draw();
      view.say(t.added(created.name));
      $<HTMLElement>('#passkeys-heading')?.focus();
    } catch (error) {
      if (!signal.aborted) fail(error);
    }
  }

  function startRenaming(p: Passkey): void {
    renaming = p.id;
    draw();
    $<HTMLInputElement>('#passkey-rename')?.focus();
  }

  function stopRenaming(p: Passkey): void {
    renaming = null;
    draw();
    $<HTMLButtonElement>(`[data-rename="${p.id}"]`)?.focus();
  }

  async function rename(event: Event, p: Passkey): Promise<void> {
    event.preventDefault();
    const name = ($<HTMLInputElement>('#passkey-rename')?.value ?? '').trim();
    if (name === '' || name.length > 60) {
      fail(new SecureFormsError('VALIDATION_FAILED', ''), 'passkey-rename');
      return;
    }
    const signal = view.session();
    try {
      const renamed = await call(view.config(), `/sessions/current/passkeys/${encodeURIComponent(p.id)}`, passkeySchema, {
        method: 'PATCH',
        headers: view.headers(),
        body: { name },
      });
      if (signal.aborted) return;
      problem = null;
      passkeys = passkeys.map((k) => (k.id === p.id ? renamed : k));
      stopRenaming(p);
      view.say(t.renamed(renamed.name));
    } catch (error) {
      if (!signal.aborted) fail(error, 'passkey-rename');
    }
  }

  async function remove(p: Passkey): Promise<void> {
    const signal = view.session();
    try {
      await call(view.config(), `/sessions/current/passkeys/${encodeURIComponent(p.id)}`, z.unknown(), {
        method: 'DELETE',
        headers: view.headers(),
      });
      if (signal.aborted) return;
      problem = null;
      if (!(await load(signal))) return;
      draw();
      view.say(t.removed(p.name));
      $<HTMLElement>('#passkeys-heading')?.focus();
    } catch (error) {
      if (!signal.aborted) fail(error);
    }
  }

  function close(): void {
    open = false;
    renaming = null;
    problem = null;
    draw();
    opener.setAttribute('aria-expanded', 'false');
  }

  function closeAndReturn(): void {
    close();
    opener.focus();
  }

  /** Open the list; `focus`: move focus to its heading (from the button), or leave it (the offer after sign-in). */
  async function show(focus: boolean): Promise<void> {
    const signal = view.session();
    try {
      if (!(await load(signal))) return;
    } catch (error) {
      if (!signal.aborted) view.say(view.describe(error));
      return;
    }
    open = true;
    draw();
    opener.setAttribute('aria-expanded', 'true');
    if (focus) $<HTMLElement>('#passkeys-heading')?.focus();
  }

  opener.addEventListener('click', () => void show(true));

  return {
    close,
    /** After a sign-in: open the list as an offer to enrol when the operator has no passkey yet. */
    async offer(): Promise<void> {
      try {
        // Another operator's session now: the offer was the previous one's.
        if (!(await load(view.session()))) return;
      } catch {
        return; // The list is the offer; the header's button still opens it.
      }
      if (passkeys.length === 0) await show(false);
    },
  };
}
