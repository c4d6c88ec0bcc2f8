import { describe, expect, it } from 'vitest';
import { totpAt } from '../security/api.ts';

// RFC 6238, appendix B (SHA-1): the secret is the ASCII "12345678901234567890"; the RFC lists
// 8-digit codes, of which the operators' 6-digit codes are the last six.
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe("the security suite's TOTP codes", () => {
  it.each([
    [59, '287082'],
    [1111111109, '081804'],
    [1234567890, '005924'],
    [20000000000, '353130'],
  ])('at %i s is %s', (seconds, code) => {
    expect(totpAt(seconds * 1000, RFC_SECRET)).toBe(code);
  });
});
