import { describe, expect, it } from 'vitest';
import { otkAuthorization, otkSchema, siteIdSchema, tokenSchema } from './common.js';

const otk = 'A'.repeat(43);

describe('credentials', () => {
  it('writes a one-time key in the OTK scheme of Authorization', () => {
    expect(otkAuthorization(otk)).toBe(`OTK ${otk}`);
  });
  it('takes a one-time key of exactly 256 bits in base64url, and a token of at least 128', () => {
    expect(otkSchema.safeParse(otk).success).toBe(true);
    expect(otkSchema.safeParse(`${otk}=`).success).toBe(false);
    expect(tokenSchema.safeParse('a'.repeat(22)).success).toBe(true);
    expect(tokenSchema.safeParse('a'.repeat(21)).success).toBe(false);
    expect(tokenSchema.safeParse(`${'a'.repeat(21)}+`).success).toBe(false);
  });
  it('takes lower-case site ids only', () => {
    expect(siteIdSchema.safeParse('demo-2').success).toBe(true);
    expect(siteIdSchema.safeParse('Demo').success).toBe(false);
  });
});
