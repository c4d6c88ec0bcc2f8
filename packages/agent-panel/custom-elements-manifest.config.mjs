/**
 * custom-elements.json from the component's JSDoc (@summary, @slot, @event, @csspart,
 * @cssproperty), written by `npm run build` and listed as "customElements" in package.json.
 * JavaScript, not TypeScript: the analyzer's config loader (@web/config-loader) reads only
 * .mjs, .cjs or .js.
 */
import { expandLiteralUnionAliases, namedEventsOnly } from '../../scripts/cem-plugins.mjs';

export default {
  globs: ['src/components/secure-form-panel/secure-form-panel.component.ts', 'src/components/secure-form-panel/secure-form-panel.ts'],
  exclude: ['**/*.test.ts'],
  litelement: true,
  outdir: '.',
  plugins: [namedEventsOnly(), expandLiteralUnionAliases()],
};
