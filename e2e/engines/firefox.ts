/**
 * A person at Firefox (Debian's firefox-esr), driven by Puppeteer over WebDriver BiDi: Firefox
 * speaks BiDi itself, so no geckodriver is needed (none is packaged for Debian, and its npm
 * packages download it at install).
 */
import puppeteer, { type ElementHandle, type Frame, type KeyInput } from 'puppeteer-core';
import { findFirefox } from '../../scripts/firefox.ts';
import { axeViolations } from './axe.js';
import { PROBE } from './page-script.js';
import { FORM_FRAME, type Person, type Where } from './person.js';
import { settled, waitFor } from './wait.js';

/** Starts a headless Firefox whose preferred language is `lang`, at 1280 × 720 like the Chromium suite. */
export async function firefox({ baseURL, port, lang = 'en-US' }: { baseURL: string; port: number; lang?: string }): Promise<Person> {
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: findFirefox(),
    headless: true,
    debuggingPort: port,
    defaultViewport: { width: 1280, height: 720 },
    extraPrefsFirefox: { 'intl.accept_languages': lang },
  });
  const page = (await browser.pages())[0] ?? (await browser.newPage());

  async function frameOf(where: Where): Promise<Frame> {
    if (where === 'page') return page.mainFrame();
    return waitFor(`the secure form's frame`, async () => {
      const iframe = (await page.mainFrame().evaluateHandle(`${PROBE}.deepQuery(${JSON.stringify(FORM_FRAME)})`)).asElement();
      return (iframe as ElementHandle<HTMLIFrameElement> | null)?.contentFrame() ?? null;
    });
  }

  const person: Person = {
    engine: 'firefox',
    async goto(path) {
      await page.goto(new URL(path, baseURL).href);
    },
    async click(query, where = 'page') {
      const element = await waitFor(`${query.role} "${query.name}"`, async () => {
        const handle = await (await frameOf(where)).evaluateHandle(`${PROBE}.byRole(${JSON.stringify(query)})`);
        return handle.asElement() as ElementHandle<Element> | null;
      });
      // Puppeteer takes the element's clickable point, then moves the mouse there and clicks: a
      // move in between (the form's frame taking its height, content opening above) sends the
      // click where the element was. Its box in the top page's viewport first stays put; in the
      // form, the frame's own box too (while the host gives it the form's height, a button may lie
      // beyond its edge).
      const frameBox = () =>
        page.mainFrame().evaluate(`${PROBE}.deepQuery(${JSON.stringify(FORM_FRAME)})?.getBoundingClientRect().toJSON()`);
      await settled(`${query.role} "${query.name}"`, async () => [await element.boundingBox(), where === 'form' ? await frameBox() : null]);
      await element.click();
    },
    async press(chord) {
      const keys = chord.split('+') as KeyInput[];
      const key = keys.pop()!;
      for (const modifier of keys) await page.keyboard.down(modifier);
      await page.keyboard.press(key);
      for (const modifier of keys.reverse()) await page.keyboard.up(modifier);
    },
    async type(text) {
      await page.keyboard.type(text);
    },
    async ask(where, method, ...args) {
      const frame = await frameOf(where);
      return frame.evaluate(`${PROBE}.${method}(...${JSON.stringify(args)})`) as never;
    },
    async axe(tags, rules) {
      const run = async (frame: Frame, body: string) => frame.evaluate(`(async () => {\n${body}\n})()`) as never;
      return axeViolations(
        {
          top: (body) => run(page.mainFrame(), body),
          frame: async (selector, body) => {
            const iframe = await page.mainFrame().evaluateHandle(`axe.utils.shadowSelect(${JSON.stringify(selector)})`);
            const frame = await iframe.asElement()!.contentFrame();
            return run(frame!, body);
          },
        },
        tags,
        rules,
      );
    },
    async screenshot() {
      return Buffer.from(await page.screenshot());
    },
    async close() {
      await browser.close();
    },
  };
  return person;
}
