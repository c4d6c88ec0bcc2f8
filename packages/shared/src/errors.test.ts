import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ERROR_CODES,
  errorBodySchema,
  OPERATOR_ERROR_CODES,
  toVisitorSideError,
  visitorSideRefusalCode,
  VISITOR_SIDE_ERROR_CODE_SET,
  VISITOR_SIDE_ERROR_CODES,
} from './errors.js';

describe('the visitor-side refusal reader', () => {
  it('gives a visitor-side code with its status and message', () => {
    const error = toVisitorSideError(409, { error: { code: 'OPEN_LIMIT_REACHED', message: 'limit' } });
    expect([error.code, error.status, error.message]).toEqual(['OPEN_LIMIT_REACHED', 409, 'limit']);
    expect(toVisitorSideError(502, '<html>').message).toBe('Unexpected response (HTTP 502).');
  });

  it('reads INTERNAL for an operator-only code, an unknown code, or a body that is not a refusal', () => {
    for (const code of [...OPERATOR_ERROR_CODES, 'WHATEVER', 'NETWORK']) {
      expect(toVisitorSideError(400, { error: { code, message: 'x' } }).code).toBe('INTERNAL');
    }
    for (const body of ['<html>', undefined, null, [], { error: 'OTK_USED' }, { code: 'OTK_USED' }]) {
      const error = toVisitorSideError(502, body);
      expect([error.code, error.status]).toEqual(['INTERNAL', 502]);
    }
  });

  it('keeps the code of a refusal without a message (the schema would not)', () => {
    expect(toVisitorSideError(410, { error: { code: 'OTK_USED' } }).code).toBe('OTK_USED');
  });

  it('knows exactly the visitor-side codes', () => {
    expect([...VISITOR_SIDE_ERROR_CODE_SET]).toEqual([...VISITOR_SIDE_ERROR_CODES]);
  });

  const body = fc.record(
    {
      error: fc.record(
        { code: fc.oneof(fc.constantFrom(...ERROR_CODES), fc.string()), message: fc.oneof(fc.string(), fc.constant(undefined)) },
        { requiredKeys: [] },
      ),
    },
    { requiredKeys: [] },
  );
  it('gives the code errorBodySchema reads for every visitor-side refusal, and INTERNAL for anything else', () => {
    fc.assert(
      fc.property(fc.oneof(body, fc.anything()), (data) => {
        const parsed = errorBodySchema.safeParse(data);
        const { code } = toVisitorSideError(400, data);
        expect(visitorSideRefusalCode(data)).toBe(code);
        if (parsed.success)
          expect(code).toBe(VISITOR_SIDE_ERROR_CODE_SET.has(parsed.data.error.code) ? parsed.data.error.code : 'INTERNAL');
        expect(code === 'INTERNAL' || VISITOR_SIDE_ERROR_CODE_SET.has(code)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
