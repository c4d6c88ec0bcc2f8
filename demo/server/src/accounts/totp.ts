/**
 * TOTP second factor (RFC 6238: SHA-1, 6 digits, 30 s steps) through the maintained `otpauth`
 * library. Secrets are 160 random bits, stored wrapped by the vault; a code is accepted once
 * (the last accepted time step is kept), within one step of clock drift.
 */
import { Secret, TOTP } from 'otpauth';

export const TOTP_PERIOD = 30;

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totp(secretBase32: string, label = 'operator'): TOTP {
  return new TOTP({
    issuer: 'Secure Forms',
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: TOTP_PERIOD,
    secret: Secret.fromBase32(secretBase32),
  });
}

/** The `otpauth://` URI an authenticator app scans. */
export function totpUri(secretBase32: string, label: string): string {
  return totp(secretBase32, label).toString();
}

/** The code for `timestamp` (tests and the demo). */
export function totpCode(secretBase32: string, timestamp: number): string {
  return totp(secretBase32).generate({ timestamp });
}

/** The time step the code belongs to, or null when it is not valid now (±1 step). */
export function totpStep(secretBase32: string, code: string, timestamp: number): number | null {
  const delta = totp(secretBase32).validate({ token: code, timestamp, window: 1 });
  if (delta === null) return null;
  return Math.floor(timestamp / 1000 / TOTP_PERIOD) + delta;
}
