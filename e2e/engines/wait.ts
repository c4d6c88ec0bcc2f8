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
