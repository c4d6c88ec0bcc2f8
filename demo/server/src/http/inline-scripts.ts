/**
 * The inline scripts of a built page, read from its HTML: the frame page's first script is inline
 * (the consumer widget's vite.inline-first-script.ts), and its policy allows it by its hash
 * (routes/frame.ts). The bench measures the same scripts (scripts/bench/sizes.ts). Read with a
 * pattern, not an HTML parser: these are pages our build writes, whose `<script>` elements have no
 * `</script` inside (the build fails if one would).
 */
import { createHash } from 'node:crypto';

/** The text of each `<script>` element of `html` that has no `src`, in order. */
export function inlineScriptTexts(html: string): string[] {
  return [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)]
    .filter(([, attributes]) => !/\bsrc=/.test(attributes!))
    .map(([, , text]) => text!);
}

/** The CSP hash sources (`'sha256-…'`) of the inline scripts of `page` (UTF-8), as browsers compute them. */
export function inlineScriptHashes(page: Uint8Array): string[] {
  return inlineScriptTexts(Buffer.from(page).toString('utf8')).map(
    (text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`,
  );
}
