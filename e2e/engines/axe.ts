/**
 * axe-core across the page and its frames with any driver: axe's own partial runs (`runPartial`
 * in each document, `finishRun` over all), as @axe-core/playwright does for the Chromium suite;
 * only the way into a document differs per driver, so each driver passes its own `Documents`.
 */
import { AXE_SOURCE } from './page-script.js';

/**
 * How a driver runs a function body (statements; `return` gives the result, a promise is awaited)
 * in the top document, or in the frame that `axe.utils.shadowSelect(selector)` finds there.
 */
export interface Documents {
  top<T>(body: string): Promise<T>;
  frame<T>(selector: unknown, body: string): Promise<T>;
}

interface FrameContext {
  frameSelector: unknown;
  frameContext: unknown;
}

interface Result {
  violations: { id: string; impact: string; nodes: { target: unknown[]; failureSummary?: string }[] }[];
}

/** Defines `window.axe` once per document (the driver's own evaluation, so the page's CSP does not apply). */
const withAxe = `if (typeof axe === 'undefined') {\n${AXE_SOURCE}\n}\nreturn true;`;

/** axe's violations over the top document and each frame in it, one line each (as the Chromium suite reports them). */
export async function axeViolations(documents: Documents, tags: string[], rules: Record<string, { enabled: boolean }>): Promise<string[]> {
  const options = JSON.stringify({ runOnly: { type: 'tag', values: tags }, rules });
  // Results travel as JSON text: each driver's own serialization of page objects differs.
  const json = (call: string) => `return JSON.stringify(await ${call});`;
  await documents.top(withAxe);
  const partials: string[] = [await documents.top(json(`axe.runPartial(document, ${options})`))];
  const frames = JSON.parse(await documents.top<string>(json(`axe.utils.getFrameContexts(document, ${options})`))) as FrameContext[];
  for (const { frameSelector, frameContext } of frames) {
    await documents.frame(frameSelector, withAxe);
    partials.push(await documents.frame(frameSelector, json(`axe.runPartial(${JSON.stringify(frameContext)}, ${options})`)));
  }
  const result = JSON.parse(await documents.top<string>(json(`axe.finishRun([${partials.join(',')}], ${options})`))) as Result;
  return result.violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.nodes.map((n) => `${JSON.stringify(n.target)} — ${n.failureSummary?.replace(/\s+/g, ' ')}`).join(' | ')}`,
  );
}
