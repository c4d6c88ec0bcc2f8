/**
 * A site's workspace token settings: who may sign its agents in to Secure Forms with a short-lived
 * signed token (the agent panel in the brand's own workspace, `POST /v1/sessions/token-exchange`).
 * The site registers the issuer its workspace backend writes, the audience it mints for, and the
 * public keys that verify the tokens: public JWKs with a `kid` each, several at once so that a new
 * key is registered before the old one is retired (rotation without downtime), in the sites file,
 * at a URL where the workspace backend publishes them (`jwksUri`: rotation without a restart), or
 * both.
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

/** Key ids must be unique within a key set: a token's `kid` names one key. */
function uniqueKids(keys: readonly { kid: string }[] | undefined, ctx: z.RefinementCtx, path: PropertyKey[]): void {
  const kids = (keys ?? []).map((k) => k.kid);
  if (new Set(kids).size !== kids.length) ctx.addIssue({ code: 'custom', message: 'key ids (kid) must be unique', path });
}

/** Host names for which an `http:` JWKS URL is accepted: a key set served on this machine (tests, local development). */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The most keys a published key set may hold (a few rotations' worth, with room for several algorithms). */
export const MAX_PUBLISHED_KEYS = 20;

/**
 * The document at a site's `jwksUri`: a JSON Web Key Set (RFC 7517 §5) whose every key passes the
 * same rules as a key in the sites file. One unfit key (private material, symmetric, no `alg`)
 * refuses the whole document, as it stops the server in the sites file: a publisher that leaks a
 * private key is not trusted for the others either.
 */
export const publishedKeySetSchema = z
  .looseObject({ keys: z.array(workspaceTokenKeySchema).min(1).max(MAX_PUBLISHED_KEYS) })
  .superRefine((set, ctx) => uniqueKids(set.keys, ctx, ['keys']));

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
    keys: z.array(workspaceTokenKeySchema).min(1).max(5).optional(),
    /**
     * Where the workspace backend publishes its public keys (a JWKS), read again as keys rotate, so
     * a rotation needs no restart (accounts/workspace-keys.ts). https only; http only on this
     * machine (tests, local development). Beside `keys` or instead of them.
     */
    jwksUri: z
      .string()
      .max(2000)
      .refine((value) => {
        try {
          const url = new URL(value);
          if (url.username || url.password) return false;
          return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
        } catch {
          return false;
        }
      }, 'must be an https URL without a user name or password (http only for a key set on localhost)')
      .optional(),
  })
  .superRefine((t, ctx) => {
    uniqueKids(t.keys, ctx, ['keys']);
    if (!t.keys && !t.jwksUri) {
      ctx.addIssue({
        code: 'custom',
        message: 'needs "keys" (public JWKs), "jwksUri" (where they are published), or both',
        path: ['keys'],
      });
    }
  });
export type WorkspaceTokens = z.infer<typeof workspaceTokensSchema>;
