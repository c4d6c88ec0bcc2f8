// The engine run's ports and credentials, set in the environment before playwright.config.ts
// (whose demo server this run reuses) reads them: the brand origin on ENGINES_E2E_PORT_BASE
// (default 18180), the PCI origin on the next port, the browsers' driver ports on the four after it,
// and the harness's own test pages (click.engines.ts) on the one after those.
process.env.ENGINES_E2E_PORT_BASE ??= '18180';
const base = Number(process.env.ENGINES_E2E_PORT_BASE);
process.env.E2E_BRAND_PORT = String(base);
process.env.E2E_PCI_PORT = String(base + 1);

/** The port each person's browser listens on for its driver (Firefox's WebDriver BiDi port, WebKitWebDriver's). */
export const DRIVER_PORTS = {
  firefox: { visitor: base + 2, agent: base + 3 },
  webkit: { visitor: base + 4, agent: base + 5 },
};

/** Where the harness's own test pages are served (a page of the spec's own, not the demo's). */
export const HARNESS_PAGES_PORT = base + 6;
