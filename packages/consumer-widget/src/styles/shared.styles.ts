import { unsafeCSS } from 'lit';
import { baseCss } from './theme.js';

/**
 * Styles every Secure Forms lit element shares (see `theme.ts`): the default light and dark
 * themes behind `--secure-form-*` custom properties, box sizing, the visually hidden utility,
 * visible focus and 44 px buttons.
 */
export const sharedStyles = unsafeCSS(baseCss);
