/**
 * A site's workspace token settings: who may sign its agents in to Secure Forms with a short-lived
 * signed token (the agent panel in the brand's own workspace, `POST /v1/sessions/token-exchange`).
 * The site registers the issuer its workspace backend writes, the audience it mints for, and the
 * public keys that verify the tokens: public JWKs with a `kid` each, several at once so that a new
 * key is registered before the old one is retired (rotation without downtime).
 *
 * Asymmetric algorithms only: the PCI backend holds no secret that could mint a token. A private
 * key, a symmetric key or an algorithm outside the allowlist stops the server with a message
 * naming the key, so a mistake is found at start rather than at the first sign-in.
 */
import { createPublicKey, type JsonWebKey } from 'node:crypto';
import * as z from 'zod';

/** The signing algorithms a workspace token may use, and the key each needs. */
export const WORKSPACE_TOKEN_ALGORITHMS = ['ES256', 'ES384', 'EdDSA', 'Ed25519', 'RS256', 'PS256'] as const;
export type WorkspaceTokenAlgorithm = (typeof WORKSPACE_TOKEN_ALGORITHMS)[number];

/** The smallest RSA modulus accepted (NIST SP 800-57: 112-bit security). */
export const MIN_RSA_BITS = 2048;

/** Members that only a private (or symmetric) JWK has. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

/** The key type (and curve) each algorithm verifies with. */
const KEY_FOR: Record<WorkspaceTokenAlgorithm, { kty: string; crv?: string }> = {
  ES256: { kty: 'EC', crv: 'P-256' },
  ES384: { kty: 'EC', crv: 'P-384' },
  EdDSA: { kty: 'OKP', crv: 'Ed25519' },
  Ed25519: { kty: 'OKP', crv: 'Ed25519' },
  RS256: { kty: 'RSA' },
  PS256: { kty: 'RSA' },
};

/** Why a JWK cannot verify workspace tokens, or null when it can. */
function keyProblem(jwk: Record<string, unknown>): string | null {
  if (jwk.kty === 'oct') return 'is a symmetric key (kty "oct"): register the public key of an asymmetric key pair';
  const secret = PRIVATE_MEMBERS.filter((m) => m in jwk);
  if (secret.length > 0) {
    return `holds private key material (${secret.join(', ')}): register only the public key, and keep the private key in the workspace backend`;
  }
  const alg = jwk.alg;
  if (typeof alg !== 'string' || !(WORKSPACE_TOKEN_ALGORITHMS as readonly string[]).includes(alg)) {
    return `needs "alg", one of ${WORKSPACE_TOKEN_ALGORITHMS.join(', ')} (never "none" or HS*)`;
  }
  const wanted = KEY_FOR[alg as WorkspaceTokenAlgorithm];
  if (jwk.kty !== wanted.kty || (wanted.crv !== undefined && jwk.crv !== wanted.crv)) {
    return `is not a key for ${alg}: ${alg} needs kty "${wanted.kty}"${wanted.crv ? ` and crv "${wanted.crv}"` : ''}`;
  }
  if (jwk.use !== undefined && jwk.use !== 'sig') return 'has "use" other than "sig"';
  let details;
  try {
    details = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' }).asymmetricKeyDetails;
  } catch {
    return 'is not a valid public JWK';
  }
  if (wanted.kty === 'RSA' && (details?.modulusLength ?? 0) < MIN_RSA_BITS) return `is an RSA key under ${MIN_RSA_BITS} bits`;
  return null;
}

/** One public verification key, as a JWK. */
export const workspaceTokenKeySchema = z
  .looseObject({
    kid: z.string().regex(/^[\x21-\x7e]{1,100}$/, 'must be 1 to 100 printable characters without spaces'),
    kty: z.string(),
  })
  .superRefine((jwk, ctx) => {
    const problem = keyProblem(jwk);
    if (problem) ctx.addIssue({ code: 'custom', message: `the key "${jwk.kid}" ${problem}` });
  });
export type WorkspaceTokenKey = z.infer<typeof workspaceTokenKeySchema>;

export const workspaceTokensSchema = z
  .strictObject({
    /** The `iss` the site's workspace backend writes (its own URL, say). */
    issuer: z.string().min(1).max(500),
    /**
     * The `aud` a token must carry: a value of this site alone, so that a token minted for one
     * site is refused by every other (the docs suggest `urn:secure-forms:site:<id>`).
     */
    audience: z.string().min(1).max(500),
    /** The public keys that verify the tokens: two during a rotation, up to five. */
    keys: z.array(workspaceTokenKeySchema).min(1).max(5),
  })
  .superRefine((t, ctx) => {
    const kids = t.keys.map((k) => k.kid);
    if (new Set(kids).size !== kids.length) ctx.addIssue({ code: 'custom', message: 'key ids (kid) must be unique', path: ['keys'] });
  });
export type WorkspaceTokens = z.infer<typeof workspaceTokensSchema>;
