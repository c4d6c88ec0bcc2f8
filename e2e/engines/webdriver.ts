/**
 * A classic WebDriver session (W3C WebDriver, the HTTP protocol WebKitWebDriver speaks), over
 * fetch. Written here rather than taken from a library: the engine run needs a dozen endpoints,
 * and the clients that speak them do not fit — selenium-webdriver 4.49 needs Node 22, WebdriverIO's
 * `webdriver` 9.33 excludes Node 20 before 20.20.2 and brings its driver downloaders
 * (@wdio/utils), and Puppeteer does not drive WebKit.
 */

/** How the protocol names an element in JSON (the web element identifier). */
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

/** An element reference, as scripts return it and commands take it. */
export interface ElementRef {
  [ELEMENT]: string;
}

export function isElement(value: unknown): value is ElementRef {
  return typeof value === 'object' && value !== null && ELEMENT in value;
}

/** The WebDriver error a command answered with (`error` is the spec's error code, e.g. `no such element`). */
export class WebDriverError extends Error {
  constructor(
    readonly error: string,
    message: string,
  ) {
    super(`${error}: ${message}`);
  }
}

/** The keys WebDriver's key actions know by code point (the spec's table of normalised keys). */
export const KEYS: Record<string, string> = {
  Tab: '\uE004',
  Enter: '\uE007',
  Shift: '\uE008',
  Control: '\uE009',
  Alt: '\uE00A',
  Escape: '\uE00C',
  Space: ' ',
  ArrowLeft: '\uE012',
  ArrowUp: '\uE013',
  ArrowRight: '\uE014',
  ArrowDown: '\uE015',
  Backspace: '\uE003',
  Home: '\uE011',
  End: '\uE010',
};

export class WebDriverSession {
  private constructor(
    private readonly url: string,
    readonly capabilities: Record<string, unknown>,
  ) {}

  /** Opens a session on the driver at `driverUrl` with these `alwaysMatch` capabilities. */
  static async start(driverUrl: string, capabilities: Record<string, unknown>): Promise<WebDriverSession> {
    const value = await send<{ sessionId: string; capabilities: Record<string, unknown> }>('POST', `${driverUrl}/session`, {
      capabilities: { alwaysMatch: capabilities },
    });
    return new WebDriverSession(`${driverUrl}/session/${value.sessionId}`, value.capabilities);
  }

  command<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
    return send<T>(method, `${this.url}${path}`, body ?? (method === 'POST' ? {} : undefined));
  }

  /** Runs a function body in the current browsing context (`return` gives the result). */
  execute<T>(script: string, ...args: unknown[]): Promise<T> {
    return this.command<T>('POST', '/execute/sync', { script, args });
  }

  /** Runs an async function body in the current browsing context: its promise's value, or its error. */
  async executeAsync<T>(body: string): Promise<T> {
    const script = `const done = arguments[arguments.length - 1];
(async () => {\n${body}\n})().then((value) => done({ value }), (error) => done({ error: String(error && error.stack || error) }));`;
    const result = await this.command<{ value?: T; error?: string }>('POST', '/execute/async', { script, args: [] });
    if (result.error !== undefined) throw new Error(result.error);
    return result.value as T;
  }

  /** Makes the top document the current browsing context, or the frame that this element (an iframe) shows. */
  switchToFrame(frame: ElementRef | null): Promise<void> {
    return this.command('POST', '/frame', { id: frame });
  }

  /** One sequence of key actions (`keyDown`/`keyUp` of each key in turn), then every key released. */
  async keys(actions: { type: 'keyDown' | 'keyUp'; value: string }[]): Promise<void> {
    await this.command('POST', '/actions', { actions: [{ type: 'key', id: 'keyboard', actions }] });
    await this.command('DELETE', '/actions');
  }

  async quit(): Promise<void> {
    await send('DELETE', this.url);
  }
}

async function send<T>(method: string, url: string, body?: unknown): Promise<T> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const json = (text ? JSON.parse(text) : {}) as { value?: unknown };
  const value = json.value as { error?: string; message?: string } | undefined;
  if (!response.ok || (value && typeof value === 'object' && typeof value.error === 'string' && 'message' in value)) {
    throw new WebDriverError(value?.error ?? `HTTP ${response.status}`, value?.message ?? text.slice(0, 500));
  }
  return json.value as T;
}
