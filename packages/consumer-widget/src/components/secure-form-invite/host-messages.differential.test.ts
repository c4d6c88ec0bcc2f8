import { VISITOR_SIDE_ERROR_CODE_SET } from '@secure-forms/shared/errors';
import { FRAME_PROTOCOL, frameToHostSchema, hostToFrameSchema } from '@secure-forms/shared/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFrameMessage, parseHostMessage } from './host-messages.js';

const UUID = '6f1c2b1e-8d4c-4a7b-9a55-0b3e1c2d4e5f';
const OTK = 'A'.repeat(43);

/** Near misses of each member, so that random cases probe the edges of every rule. */
const protocol = fc.constantFrom(FRAME_PROTOCOL, 'secure-forms/2', '', undefined, 1);
const type = fc.constantFrom('open', 'close', 'ready', 'confirming', 'OPEN', 'CLOSE', undefined, null);
const invitationId = fc.oneof(
  fc.constant(UUID),
  fc.uuid(),
  fc.constantFrom(UUID.toUpperCase(), UUID.slice(1), `${UUID}\n`, '00000000-0000-0000-0000-000000000000', 42),
  fc.string(),
);
const viewOtk = fc.oneof(
  fc.constant(OTK),
  fc.stringMatching(/^[A-Za-z0-9_-]{43}$/),
  fc.constantFrom(`${OTK}=`, OTK.slice(1), `${OTK.slice(1)}+`, `${OTK}\n`, null),
  fc.string({ maxLength: 50 }),
);
const TOKEN = 'T'.repeat(22);
const conversationToken = fc.oneof(
  fc.constant(TOKEN),
  fc.stringMatching(/^[A-Za-z0-9_-]{22,128}$/),
  fc.constantFrom(TOKEN.slice(1), 'T'.repeat(129), `${TOKEN}=`, `${TOKEN}\n`, OTK, null),
  fc.string({ maxLength: 130 }),
);
const message = fc.record({ protocol, type, invitationId, viewOtk, conversationToken, extra: fc.anything() }, { requiredKeys: [] });

describe('the frame reads the host messages exactly as hostToFrameSchema', () => {
  it('agrees on the accepted messages and their near misses', () => {
    const open = { protocol: FRAME_PROTOCOL, type: 'open', invitationId: UUID, viewOtk: OTK };
    expect(parseHostMessage(open)).toEqual(open);
    expect(hostToFrameSchema.safeParse(open).success).toBe(true);
    // The open the invite posts now: the visitor's token. With both, the token counts, in both readers.
    const withToken = { protocol: FRAME_PROTOCOL, type: 'open', invitationId: UUID, conversationToken: TOKEN };
    expect(parseHostMessage(withToken)).toEqual(withToken);
    expect(hostToFrameSchema.parse(withToken)).toEqual(withToken);
    expect(parseHostMessage({ ...withToken, viewOtk: OTK })).toEqual(withToken);
    expect(hostToFrameSchema.parse({ ...withToken, viewOtk: OTK })).toEqual(withToken);
    // An extra member is dropped by both (zod's object strips it), never passed on.
    expect(parseHostMessage({ ...open, extra: 1 })).toEqual(open);
    for (const data of [null, undefined, 'open', [open], 1, { ...open, type: 'ready' }]) {
      expect(parseHostMessage(data)).toBeNull();
      expect(hostToFrameSchema.safeParse(data).success).toBe(false);
    }
    // `close` carries nothing: anything else in it is dropped by both.
    const close = { protocol: FRAME_PROTOCOL, type: 'close' };
    expect(parseHostMessage(close)).toEqual(close);
    expect(hostToFrameSchema.safeParse(close).success).toBe(true);
    expect(parseHostMessage({ ...close, viewOtk: OTK })).toEqual(close);
    for (const data of [{ type: 'close' }, { ...close, protocol: 'secure-forms/2' }, [close]]) {
      expect(parseHostMessage(data)).toBeNull();
      expect(hostToFrameSchema.safeParse(data).success).toBe(false);
    }
  });

  it('agrees on random messages', () => {
    fc.assert(
      fc.property(fc.oneof(message, fc.anything()), (data) => {
        const parsed = hostToFrameSchema.safeParse(data);
        const plain = parseHostMessage(data);
        expect(plain !== null).toBe(parsed.success);
        if (parsed.success) expect(plain).toEqual(parsed.data);
      }),
      { numRuns: 5000 },
    );
  });
});

describe("the host page reads the frame's lengths (resize, focus) exactly as frameToHostSchema", () => {
  /** Lengths on and around the protocol's bounds (-10 000, 0 and 10 000), and things that are not numbers. */
  const length = fc.oneof(
    fc.double({ min: -20_000, max: 20_000 }),
    fc.constantFrom(0, 10_000, -10_000, -0, -1e-9, 10_000.000_001, -10_000.000_001, Number.NaN, Infinity, -Infinity),
    fc.constantFrom('10', null, undefined, [], {}),
  );
  const frameMessage = fc.record(
    {
      protocol,
      type: fc.constantFrom('resize', 'focus', 'Focus', 'ready', undefined),
      height: length,
      top: length,
      bottom: length,
      extra: fc.anything(),
    },
    { requiredKeys: [] },
  );

  it('agrees on random messages', () => {
    fc.assert(
      fc.property(fc.oneof(frameMessage, fc.anything()), (data) => {
        const parsed = frameToHostSchema.safeParse(data);
        const plain = parseFrameMessage(data, VISITOR_SIDE_ERROR_CODE_SET);
        expect(plain !== null).toBe(parsed.success);
        if (parsed.success) {
          const { protocol: _, ...rest } = parsed.data;
          expect(plain).toEqual(rest);
        }
      }),
      { numRuns: 5000 },
    );
  });
});

// Refusal bodies are read by shared's toVisitorSideError, held equal to errorBodySchema in
// packages/shared/src/errors.test.ts.
