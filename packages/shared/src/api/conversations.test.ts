import { describe, expect, it } from 'vitest';
import { TEST_CARDS } from '../../../../fixtures/cards.js';
import {
  compareQueueOrder,
  conversationListQuerySchema,
  conversationMessageSchema,
  startConversationRequestSchema,
} from './conversations.js';

describe('conversation bodies', () => {
  it('refuses a visitor name with line breaks or bidi overrides, shown as it is in every agent’s queue', () => {
    expect(startConversationRequestSchema.safeParse({ siteId: 'demo', visitorName: 'Ana María' }).success).toBe(true);
    expect(startConversationRequestSchema.safeParse({ siteId: 'demo', visitorName: 'Ana\nAgent: hi' }).success).toBe(false);
    expect(startConversationRequestSchema.safeParse({ siteId: 'demo', visitorName: 'Ana\u202e' }).success).toBe(false);
  });
  it('takes a page size of 1 to 999 written plainly', () => {
    expect(conversationListQuerySchema.safeParse({ limit: '50' }).success).toBe(true);
    expect(conversationListQuerySchema.safeParse({ limit: '050' }).success).toBe(false);
    expect(conversationListQuerySchema.safeParse({ limit: '1000' }).success).toBe(false);
  });
  it('has no kind of transcript line that carries a form’s values', () => {
    const invitation = {
      kind: 'invitation',
      id: 'm1',
      at: '2026-11-29T09:30:00.000Z',
      invitationId: '2b0f4a57-9f4e-4f7c-a0d5-6f2c3b8d9e10',
      formTitle: 'Payment card',
    };
    expect(conversationMessageSchema.parse({ ...invitation, values: { cardNumber: TEST_CARDS.visa.digits } })).toEqual(invitation);
  });
});

describe('the queue order', () => {
  const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 9, minute)).toISOString();
  const c = (id: string, state: 'waiting' | 'active' | 'closed', minute: number) => ({ id, state, createdAt: at(minute) });

  it('puts waiting conversations first, then active, then closed; newest first within each', () => {
    const queue = [
      c('a', 'closed', 9),
      c('b', 'active', 1),
      c('c', 'waiting', 1),
      c('d', 'active', 5),
      c('e', 'waiting', 5),
      c('f', 'closed', 1),
    ];
    expect(queue.sort(compareQueueOrder).map((x) => x.id)).toEqual(['e', 'c', 'd', 'b', 'a', 'f']);
  });
  it('puts the greater id first between two started at the same moment, and an equal one nowhere else', () => {
    const queue = [c('00000000-0000-4000-8000-000000000001', 'waiting', 3), c('00000000-0000-4000-8000-000000000002', 'waiting', 3)];
    expect(queue.sort(compareQueueOrder).map((x) => x.id.slice(-1))).toEqual(['2', '1']);
    expect(compareQueueOrder(queue[0]!, { ...queue[0]! })).toBe(0);
  });
});
