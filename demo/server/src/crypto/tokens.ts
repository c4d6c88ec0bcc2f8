/** Random tokens and their hashes: secrets are stored only as SHA-256, compared by hash lookup. */
import { createHash, randomBytes } from 'node:crypto';

export type RandomBytes = (size: number) => Buffer;
export const defaultRandom: RandomBytes = (size) => randomBytes(size);

/** 256 random bits, base64url without padding (43 characters). */
export function newToken(random: RandomBytes = defaultRandom): string {
  return random(32).toString('base64url');
}

export function sha256(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}
