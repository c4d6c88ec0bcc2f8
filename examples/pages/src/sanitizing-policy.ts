/**
 * deep-chat writes every message (text through its Markdown renderer, and HTML messages) and
 * much of its own markup with `innerHTML`. Under the brand page's `require-trusted-types-for
 * 'script'` each of those writes needs a TrustedHTML, so this page creates the Trusted Types
 * `default` policy, which the browser applies to every string written to such a sink: DOMPurify
 * sanitizes it. It allows `<secure-form-invite>` with its attributes (never the conversation
 * token, a property) and drops inline `style` attributes, which the page's `style-src 'self'`
 * refuses anyway. Imported first, before deep-chat runs.
 */
import DOMPurify from 'dompurify';

const SANITIZE = {
  CUSTOM_ELEMENT_HANDLING: {
    tagNameCheck: /^secure-form-invite$/,
    attributeNameCheck: /^(invitation-id|form-title|pci-origin|site-id|state|locale)$/,
    allowCustomizedBuiltInElements: false,
  },
  FORBID_ATTR: ['style'],
};

// TypeScript's DOM library does not declare Trusted Types yet.
const { trustedTypes } = window as Window & {
  trustedTypes?: { createPolicy(name: string, rules: { createHTML(input: string): string }): unknown };
};
trustedTypes?.createPolicy('default', { createHTML: (html: string) => DOMPurify.sanitize(html, SANITIZE) });
