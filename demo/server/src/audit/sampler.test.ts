import { describe, expect, it } from 'vitest';
import { harness } from '../test/harness.js';

describe('repeated anonymous refusals in the audit log', () => {
  it('writes the first five in full and then one summary line with the count, per action, reason and address', async () => {
    const h = await harness();
    const before = h.audit.entries.length;
    const flood = (address: string) => h.request('/v1/conversations', { body: { siteId: 'no-such-site' }, address });
    for (let i = 0; i < 200; i++) await flood('198.51.100.1');
    await flood('198.51.100.2');
    const lines = () => h.audit.entries.slice(before);
    expect(lines().filter((e) => e.address === '198.51.100.1')).toHaveLength(5);
    expect(lines().filter((e) => e.address === '198.51.100.2')).toHaveLength(1);

    h.advance(60_000);
    await h.app.purge(); // the housekeeping job writes the summaries of ended windows
    const summary = lines().find((e) => e.repeated !== undefined);
    expect(summary).toMatchObject({
      action: 'conversation.start',
      outcome: 'refused',
      reason: 'NOT_FOUND',
      actor: 'anonymous',
      address: '198.51.100.1',
      repeated: 195,
    });
    expect(lines()).toHaveLength(7);
  });

  it('always writes successes and refusals of a known actor in full', async () => {
    const h = await harness();
    const v = await h.startConversation();
    const before = h.audit.entries.length;
    for (let i = 0; i < 20; i++) {
      await h.request(`/v1/conversations/${v.id}/transfer`, { headers: v.headers, body: { agentId: 'x' } });
    }
    for (let i = 0; i < 10; i++) await h.request(`/v1/conversations/${v.id}/messages`, { headers: v.headers, body: { text: `hi ${i}` } });
    const lines = h.audit.entries.slice(before);
    expect(lines.filter((e) => e.action === 'message.post' && e.outcome === 'success')).toHaveLength(10);
  });
});
