/**
 * custom-elements.json from the components' JSDoc (@summary, @slot, @event, @csspart,
 * @cssproperty), written by `npm run build` and listed as "customElements" in package.json.
 * JavaScript, not TypeScript: the analyzer's config loader (@web/config-loader) reads only
 * .mjs, .cjs or .js.
 */
import { expandLiteralUnionAliases, namedEventsOnly } from '../../scripts/cem-plugins.mjs';

export default {
  globs: [
    'src/components/secure-form-invite/secure-form-invite.component.ts',
    'src/components/secure-form-invite/secure-form-invite.ts',
    // The form frame's two elements (Lit), which run only on the PCI origin.
    'src/components/secure-form-frame/secure-form-frame.component.ts',
    'src/components/secure-form-frame/secure-form-frame.ts',
    'src/components/secure-form/secure-form.component.ts',
    'src/components/secure-form/secure-form.ts',
    // Read only for its `Display` alias, which expandLiteralUnionAliases writes out as its values
    // (and leaves out of the manifest).
    'src/components/secure-form-invite/invite-dialog.ts',
  ],
  exclude: ['**/*.test.ts'],
  litelement: true,
  outdir: '.',
  plugins: [namedEventsOnly(), expandLiteralUnionAliases({ aliasSourcesOnly: ['invite-dialog.ts'] })],
};
