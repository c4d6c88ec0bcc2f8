/**
 * Several instances starting together on one database each seed the operators of the sites file:
 * the one that creates an operator sets its password and second factor; the others keep them.
 */
import { describe, expect, it } from 'vitest';
import { harness, PASSWORD } from '../test/harness.js';

describe('seeding an operator that another instance creates at the same moment', () => {
  it('creates it once; the others keep it and enrol no second second factor', async () => {
    const h = await harness();
    const spec = { username: 'newcomer', displayName: 'New Comer', role: 'manager' as const };
    const results = await Promise.all([0, 1, 2].map(() => h.app.accounts.operators.ensure('demo', spec, PASSWORD, false)));
    expect(results.map((r) => r.outcome).sort()).toEqual(['created', 'kept', 'kept']);
    // One TOTP secret was made (by the creator), so one enrolment link to hand out.
    expect(results.filter((r) => r.totpSecret !== undefined)).toHaveLength(1);
    expect(await h.app.store.findOperatorByUsername('demo', 'newcomer')).toBeDefined();
  });
});
