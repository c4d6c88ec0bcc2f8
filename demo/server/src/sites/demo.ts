/** The demo site, "Demo Brand", whose brand page runs on http://localhost:PORT. */
import { siteConfigSchema, type SiteConfig } from './schema.js';

export function demoSite(brandPort: number): SiteConfig {
  return siteConfigSchema.parse({
    id: 'demo',
    title: 'Demo Brand',
    brandOrigins: [`http://localhost:${brandPort}`, `http://127.0.0.1:${brandPort}`],
    otkTtlSeconds: { view: 60, submit: 30 * 60, retrieve: 60 },
    submitExtensions: 10,
    offTheRecord: { ttlSeconds: 5 * 60, maxEntries: 1000 },
    retentionMonths: 13,
    session: { idleTimeoutSeconds: 15 * 60, absoluteLifetimeSeconds: 12 * 3600 },
    lockoutThreshold: 3,
    passwordMinLength: 12,
    forms: [
      {
        id: 'card-payment',
        version: 1,
        title: 'Payment card',
        fields: [
          { id: 'cardNumber', type: 'card-number', label: 'Card number' },
          { id: 'billingPostcode', type: 'text', label: 'Billing postcode', hint: 'As it appears on your card statement' },
          {
            id: 'cvv',
            type: 'cvv',
            label: 'Security code (CVV)',
            hint: 'The last 3 digits on the back of your card',
            offTheRecord: true,
          },
        ],
      },
    ],
  });
}

/** The operators seeded for the demo site; they share the demo password. */
export const DEMO_OPERATORS = [
  { username: 'alice', displayName: 'Alice Agent', role: 'agent' },
  { username: 'bob', displayName: 'Bob Agent', role: 'agent' },
  { username: 'morgan', displayName: 'Morgan Manager', role: 'manager' },
] as const;
