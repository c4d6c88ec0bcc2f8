/**
 * Browser contexts the suite watches: every console message (all frames), every URL requested,
 * the bodies of every request and response (the relay traffic as the pages saw it), and every
 * Content-Security-Policy or Trusted Types violation, which is also appended to the run's
 * violations file so the last spec can check that no page broke its policy during the run.
 */
import { appendFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page, Request, Response } from '@playwright/test';
import { snapshotDom } from '../fixtures/brand-dom.js';
import { VIOLATIONS_FILE } from './env.js';

export interface Violation {
  context: string;
  /** A probe or attack that is meant to cause it. */
  expected: boolean;
  text: string;
}

const VIOLATION_TAG = '[csp-violation]';
/** Chromium's own console lines for a blocked script, style, frame or Trusted Types sink. */
const BROWSER_VIOLATION = /Content Security Policy|Trusted ?Type|TrustedHTML|TrustedScript/i;

export interface WatchOptions {
  /** Violations in this context are caused on purpose (probes, attacks): counted apart. */
  expectViolations?: boolean;
  /** Passed to browser.newContext. */
  contextOptions?: Parameters<Browser['newContext']>[0];
}

export class Watched {
  readonly console: string[] = [];
  readonly urls: string[] = [];
  /** Request and response bodies and request headers, as text. */
  readonly traffic: string[] = [];
  readonly violations: Violation[] = [];
  readonly responses: { url: string; status: number; method: string }[] = [];

  private constructor(
    readonly label: string,
    readonly context: BrowserContext,
    readonly options: WatchOptions,
  ) {}

  static async open(
    browser: Browser,
    label: string,
    options: WatchOptions = {},
  ): Promise<{ watch: Watched; context: BrowserContext; page: Page }> {
    const context = await browser.newContext(options.contextOptions);
    const watch = new Watched(label, context, options);
    await context.addInitScript((tag: string) => {
      // Runs in every frame of every page, the cross-origin frame too.
      document.addEventListener(
        'securitypolicyviolation',
        (e) =>
          console.error(
            `${tag} ${JSON.stringify({ directive: e.effectiveDirective, blocked: e.blockedURI.slice(0, 80), page: location.origin + location.pathname })}`,
          ),
        true,
      );
    }, VIOLATION_TAG);
    context.on('console', (m) => watch.onConsole(m.text(), m.type()));
    context.on('weberror', (e) => watch.console.push(String(e.error())));
    context.on('request', (r) => watch.onRequest(r));
    context.on('response', (r) => void watch.onResponse(r));
    const page = await context.newPage();
    return { watch, context, page };
  }

  private onConsole(text: string, type: string): void {
    this.console.push(`${type}: ${text}`);
    if (text.startsWith(VIOLATION_TAG) || (type === 'error' && BROWSER_VIOLATION.test(text))) {
      const violation = { context: this.label, expected: this.options.expectViolations ?? false, text: text.slice(0, 300) };
      this.violations.push(violation);
      appendFileSync(VIOLATIONS_FILE, `${JSON.stringify(violation)}\n`);
    }
  }

  private onRequest(request: Request): void {
    this.urls.push(request.url());
    const headers = request.headers();
    this.traffic.push(
      `${request.method()} ${request.url()}\n${Object.entries(headers)
        .map(([k, v]) => `${k}: ${v}`)
        .join('\n')}\n${request.postData() ?? ''}`,
    );
  }

  private async onResponse(response: Response): Promise<void> {
    this.responses.push({ url: response.url(), status: response.status(), method: response.request().method() });
    const type = response.headers()['content-type'] ?? '';
    // Event streams never end (the suite reads them itself); scripts and styles are the build.
    if (type.includes('text/event-stream') || !/json|text\/(plain|html)/.test(type)) return;
    try {
      this.traffic.push(`${response.status()} ${response.url()}\n${await response.text()}`);
    } catch {
      // the page went away first
    }
  }

  /** Violations this context caused that nobody meant to cause. */
  unexpectedViolations(): Violation[] {
    return this.violations.filter((v) => !v.expected);
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}

/** The DOM of every brand-origin frame of `page`: shadow roots, input values, storage (fixtures/brand-dom.ts). */
export async function brandDom(page: Page, brandOrigin: string): Promise<string> {
  const parts: string[] = [];
  for (const frame of page.frames()) {
    if (!frame.url().startsWith(brandOrigin) && frame !== page.mainFrame()) continue;
    try {
      parts.push(await frame.evaluate(snapshotDom));
    } catch {
      // a frame that navigated away
    }
  }
  return parts.join('\n');
}

/**
 * localStorage, sessionStorage, IndexedDB (every database, store and record) and document.cookie
 * of every frame of `page`, each labelled with its origin. A partitioned or sandboxed frame that
 * is refused storage holds nothing.
 */
export async function frameStorage(page: Page): Promise<{ origin: string; text: string }[]> {
  const out: { origin: string; text: string }[] = [];
  for (const frame of page.frames()) {
    try {
      const dump = await frame.evaluate(async () => {
        const lines: string[] = [];
        const storage = (name: string, s: () => Storage) => {
          try {
            const st = s();
            for (let i = 0; i < st.length; i++) {
              const key = st.key(i) ?? '';
              lines.push(`${name} ${key}=${st.getItem(key)}`);
            }
          } catch {
            lines.push(`${name} refused`);
          }
        };
        storage('localStorage', () => localStorage);
        storage('sessionStorage', () => sessionStorage);
        try {
          lines.push(`cookie ${document.cookie}`);
        } catch {
          lines.push('cookie refused');
        }
        try {
          for (const info of await indexedDB.databases()) {
            if (!info.name) continue;
            const db = await new Promise<IDBDatabase>((resolve, reject) => {
              const open = indexedDB.open(info.name!);
              open.onsuccess = () => resolve(open.result);
              open.onerror = () => reject(new Error(String(open.error)));
            });
            for (const storeName of Array.from(db.objectStoreNames)) {
              const records = await new Promise<unknown[]>((resolve, reject) => {
                const req = db.transaction(storeName, 'readonly').objectStore(storeName).getAll();
                req.onsuccess = () => resolve(req.result);
                req.onerror = () => reject(new Error(String(req.error)));
              });
              lines.push(`indexedDB ${info.name}/${storeName} ${JSON.stringify(records)}`);
            }
            db.close();
          }
        } catch {
          lines.push('indexedDB refused');
        }
        return { origin: location.origin, text: lines.join('\n') };
      });
      out.push(dump);
    } catch {
      // detached frame
    }
  }
  return out;
}
