// Playwright's expect.poll asserts; the drivers need the value itself (an element to click), so
// they poll with this.

/** Polls until `probe` gives something other than null (or false), or fails after `timeout` ms naming what it waited for. */
export async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeout = 30_000): Promise<T> {
  const end = Date.now() + timeout;
  let last: Error | undefined;
  for (;;) {
    try {
      const value = await probe();
      if (value !== null && value !== undefined && value !== false) return value;
    } catch (error) {
      last = error instanceof Error ? error : new Error(String(error));
    }
    if (Date.now() > end) throw new Error(`Waited ${timeout} ms for ${what}${last ? ` (last error: ${last.message})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Waits until `read` (where an element is on the screen) gives the same answer twice in a row,
 * `quietMs` apart: the element has stopped moving. The Chromium suite's frameSettled rule (150 ms),
 * and what Playwright's own actionability checks ask before a click. Content that opens above a
 * button after the page looks ready moves it, and a click aimed at it lands where it was.
 */
export async function settled(what: string, read: () => Promise<unknown>, { quietMs = 150, timeout = 10_000 } = {}): Promise<void> {
  const end = Date.now() + timeout;
  let last = JSON.stringify(await read());
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, quietMs));
    const now = JSON.stringify(await read());
    if (now === last) return;
    if (Date.now() > end) throw new Error(`Waited ${timeout} ms for ${what} to stop moving (last at ${now})`);
    last = now;
  }
}
