/**
 * A person at WebKit (WebKitGTK: Debian's webkit2gtk-driver, whose WebKitWebDriver starts the
 * MiniBrowser and speaks classic WebDriver), on a virtual X server of its own (Xvfb: WebKitGTK has
 * no headless mode). The language is the browser process's locale (see scripts/webkit.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { findMiniBrowser, findWebKitDriver, findXvfb, localeFor } from '../../scripts/webkit.ts';
import { axeViolations } from './axe.js';
import { PROBE } from './page-script.js';
import type { Box } from './in-page.js';
import { FORM_FRAME, type Person, type Where } from './person.js';
import { settled, waitFor } from './wait.js';
import { KEYS, WebDriverSession, type ElementRef } from './webdriver.js';

/** Where compiled locales are kept between runs. */
const LOCALES = fileURLToPath(new URL('../../node_modules/.cache/secure-forms-locales', import.meta.url));

/** Starts Xvfb on the first free display; resolves with the display's number once it accepts clients. */
async function startXvfb(width: number, height: number): Promise<{ display: string; process: ChildProcess }> {
  const xvfb = spawn(findXvfb() ?? 'Xvfb', ['-displayfd', '1', '-screen', '0', `${width}x${height}x24`, '-nolisten', 'tcp'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const display = await new Promise<string>((resolve, reject) => {
    xvfb.stdout.once('data', (chunk: Buffer) => resolve(`:${chunk.toString().trim()}`));
    xvfb.once('exit', (code) => reject(new Error(`Xvfb ended (exit code ${code}) before it took a display`)));
    xvfb.once('error', reject);
  });
  return { display, process: xvfb };
}

/** Starts WebKitWebDriver on `port` and waits until it answers /status. */
async function startDriver(port: number, env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const driver = spawn(findWebKitDriver() ?? 'WebKitWebDriver', [`--port=${port}`], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  driver.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  try {
    await waitFor(
      `WebKitWebDriver on port ${port}`,
      async () => {
        if (driver.exitCode !== null) throw new Error(`WebKitWebDriver ended (exit code ${driver.exitCode}): ${output}`);
        const status = await fetch(`http://127.0.0.1:${port}/status`).catch(() => null);
        return status?.ok ?? false;
      },
      15_000,
    );
  } catch (error) {
    // A driver that never answered is stopped here: the caller has no handle on it to stop.
    await stop(driver);
    throw error;
  }
  return driver;
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Starts a WebKit whose language is `lang`, with a 1280 × 720 viewport like the Chromium suite. */
export async function webkit({ baseURL, port, lang = 'en-US' }: { baseURL: string; port: number; lang?: string }): Promise<Person> {
  const children: ChildProcess[] = [];
  try {
    const xvfb = await startXvfb(1600, 1200);
    children.push(xvfb.process);
    const { LANGUAGE: _language, LC_ALL: _all, ...inherited } = process.env;
    const env = { ...inherited, DISPLAY: xvfb.display, LANG: 'C.UTF-8', ...localeFor(lang, LOCALES) };
    const driver = await startDriver(port, env);
    children.push(driver);
    const session = await WebDriverSession.start(`http://127.0.0.1:${port}`, {
      'webkitgtk:browserOptions': { binary: findMiniBrowser(), args: ['--automation'] },
    });
    return await person(session, baseURL, async () => {
      await session.quit().catch(() => undefined);
      for (const child of children.reverse()) await stop(child);
    });
  } catch (error) {
    for (const child of children.reverse()) await stop(child);
    throw error;
  }
}

async function person(session: WebDriverSession, baseURL: string, close: () => Promise<void>): Promise<Person> {
  await session.command('POST', '/timeouts', { script: 120_000 });
  // The window's inner size is the viewport: add what the MiniBrowser's own toolbar takes.
  const chrome = await session.execute<number>('return window.outerHeight - window.innerHeight');
  await session.command('POST', '/window/rect', { width: 1280, height: 720 + chrome });

  /** Makes the page, or the form's frame in it, the browsing context that commands go to. */
  async function enter(where: Where): Promise<void> {
    await session.switchToFrame(null);
    if (where === 'page') return;
    const iframe = await waitFor(`the secure form's frame`, () =>
      session.execute<ElementRef | null>(`return ${PROBE}.deepQuery(${JSON.stringify(FORM_FRAME)})`),
    );
    await session.switchToFrame(iframe);
  }

  async function run<T>(where: Where, script: string): Promise<T> {
    await enter(where);
    return session.execute<T>(script);
  }

  /**
   * Where the element is in the top document's viewport (`box`); in the form, also the frame's own
   * box (`frame`: while the host gives it the form's height, a button may lie beyond its edge).
   */
  async function placeOnScreen(element: ElementRef, where: Where): Promise<{ box: Box; frame?: Box }> {
    await enter(where);
    const own = await session.execute<Box>('return arguments[0].getBoundingClientRect().toJSON()', element);
    if (where === 'page') return { box: own };
    await session.switchToFrame(null);
    const frame = await session.execute<Box>(`return ${PROBE}.deepQuery(${JSON.stringify(FORM_FRAME)}).getBoundingClientRect().toJSON()`);
    const box = { top: frame.top + own.top, bottom: frame.top + own.bottom, left: frame.left + own.left, right: frame.left + own.right };
    return { box, frame };
  }

  /**
   * Scrolls the page with the mouse wheel until the element (in the form's frame) is in the
   * viewport, as a person scrolls the chat to a button before clicking it. WebDriver's element
   * click scrolls the element into view, but WebKit does not let a cross-origin frame scroll the
   * page around it (scrollIntoView stops at the frame), so the click would land outside the view.
   */
  async function reveal(element: ElementRef): Promise<void> {
    for (let tries = 0; tries < 5; tries++) {
      const { top, bottom } = (await placeOnScreen(element, 'form')).box;
      const { clip } = (await session.execute<{ clip: Box } | null>(`return ${PROBE}.shownPart(${JSON.stringify(FORM_FRAME)})`))!;
      if (top >= clip.top && bottom <= clip.bottom) return;
      // The wheel over the middle of the scrolling box that clips the frame (the transcript): it
      // scrolls that box, or the frame's document first if it scrolls (it does not: it is sized to fit).
      const [x, y] = [Math.round((clip.left + clip.right) / 2), Math.round((clip.top + clip.bottom) / 2)];
      const deltaY = Math.round((top + bottom) / 2 - y);
      await session.command('POST', '/actions', {
        actions: [{ type: 'wheel', id: 'wheel', actions: [{ type: 'scroll', x, y, deltaX: 0, deltaY, origin: 'viewport' }] }],
      });
    }
  }

  async function keys(chord: string[]): Promise<void> {
    const values = chord.map((key) => KEYS[key] ?? key);
    await session.keys([
      ...values.map((value) => ({ type: 'keyDown' as const, value })),
      ...values.reverse().map((value) => ({ type: 'keyUp' as const, value })),
    ]);
  }

  return {
    engine: 'webkit',
    async goto(path) {
      await session.switchToFrame(null);
      await session.command('POST', '/url', { url: new URL(path, baseURL).href });
    },
    async click(query, where = 'page') {
      const element = await waitFor(`${query.role} "${query.name}"`, () =>
        run<ElementRef | null>(where, `return ${PROBE}.byRole(${JSON.stringify(query)})`),
      );
      if (where === 'form') await reveal(element);
      // WebKitWebDriver takes the element's centre, then dispatches the click: a move in between
      // (the form's frame taking its height, content opening above) sends it where the element was.
      await settled(`${query.role} "${query.name}"`, () => placeOnScreen(element, where));
      await enter(where);
      await session.command('POST', `/element/${Object.values(element)[0]}/click`);
    },
    async press(chord) {
      await keys(chord.split('+'));
    },
    async type(text) {
      await session.keys(
        [...text].flatMap((value) => [
          { type: 'keyDown' as const, value },
          { type: 'keyUp' as const, value },
        ]),
      );
    },
    async ask(where, method, ...args) {
      return run(where, `return ${PROBE}.${method}(...${JSON.stringify(args)})`);
    },
    async axe(tags, rules) {
      return axeViolations(
        {
          top: async (body) => {
            await enter('page');
            return session.executeAsync(body);
          },
          frame: async (selector, body) => {
            await enter('page');
            const iframe = await session.execute<ElementRef>(`return axe.utils.shadowSelect(arguments[0])`, selector);
            await session.switchToFrame(iframe);
            return session.executeAsync(body);
          },
        },
        tags,
        rules,
      );
    },
    async screenshot() {
      await session.switchToFrame(null);
      return Buffer.from(await session.command<string>('GET', '/screenshot'), 'base64');
    },
    close,
  };
}
