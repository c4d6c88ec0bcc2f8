/**
 * `str` for the generated locale modules in the panel build (see vite.config.ts): the
 * same tagged-template marker as @lit/localize's, so a locale chunk imports nothing and the host
 * page loads no shared chunk besides the panel itself.
 */
export const str = (strings: TemplateStringsArray, ...values: unknown[]) => ({ strTag: true as const, strings, values });
