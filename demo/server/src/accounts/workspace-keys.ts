/**
 * The keys that verify one site's workspace tokens: the public keys in the sites file (`keys`) and
 * the key set the brand's workspace backend publishes (`jwksUri`), so that a key rotates without a
 * restart. A kid in the sites file is looked up there, never at the URL; every other kid at the URL.
 *
 * The published set is jose's `createRemoteJWKSet`: it shares one fetch among concurrent requests,
 * keeps the set {@link JWKS_MAX_AGE_MS}, and asks again for a kid it does not hold only once
 * {@link JWKS_COOLDOWN_MS} have passed since the last fetch, so tokens naming random kids cannot
 * make this server fetch the set on every request. What is this product's own is the fetch jose is
 * given (its `customFetch` option), since jose bounds neither the answer's size nor what a key may
 * be: the answer is read up to {@link JWKS_MAX_BYTES}, every key must pass the sites file's rules
 * (public, asymmetric, an allowed `alg`: `publishedKeySetSchema`), and after a failed fetch none is
 * tried again until the cooldown has passed (jose's cooldown counts from successes only, so a set
 * that is down would otherwise be fetched for every token).
 */
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  customFetch,
  errors,
  type FetchImplementation,
  type FlattenedJWSInput,
  type CompactJWSHeaderParameters,
  type JWTVerifyGetKey,
} from 'jose';
import { publishedKeySetSchema, WORKSPACE_TOKEN_ALGORITHMS, type WorkspaceTokens } from '../sites/workspace-tokens.js';

/** After a fetch (successful or not), how long before a kid the set lacks, or a failure, makes it fetch again. */
export const JWKS_COOLDOWN_MS = 30_000;
/** How long a fetched set is used before it is fetched again: a key removed from it is refused after at most this. */
export const JWKS_MAX_AGE_MS = 300_000;
/** How long a fetch may take, answer included. */
export const JWKS_TIMEOUT_MS = 5_000;
/** The largest answer read; a longer one is a failed fetch. */
export const JWKS_MAX_BYTES = 64 * 1024;

/** Why the published key set could not be used: the audit line's `workspaceToken.jwks`. */
export type JwksFailure = 'timeout' | 'unreachable' | 'status' | 'too_large' | 'not_json' | 'unfit_keys';

/** The published key set could not be read: no token signed by one of its keys can be checked now. */
export class JwksUnavailable extends Error {
  override readonly name = 'JwksUnavailable';
  constructor(
    readonly failure: JwksFailure,
    /** Whole seconds until the set will be fetched again. */
    readonly retryAfterSeconds: number,
  ) {
    super(`The published workspace key set could not be read (${failure}).`);
  }
}

/** The answer's body as text, reading no more than `max` bytes. */
async function readAtMost(response: Response, max: number): Promise<string | null> {
  if (Number(response.headers.get('content-length') ?? 0) > max) {
    await response.body?.cancel();
    return null;
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The failure a thrown fetch error stands for. */
function failureOf(error: unknown): JwksFailure {
  if (error instanceof JwksUnavailable) return error.failure;
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError') ? 'timeout' : 'unreachable';
}

/** Options for tests: a shorter timeout, a smaller answer. */
export interface SiteKeysOptions {
  timeoutMs?: number;
  maxBytes?: number;
}

/** One site's workspace token keys. */
export class SiteWorkspaceKeys {
  /** The algorithms a token may name: those of the sites file's keys, and every allowed one when a set is published. */
  readonly algorithms: string[];
  private readonly inline: JWTVerifyGetKey;
  private readonly inlineKids: Set<string>;
  private readonly published?: JWTVerifyGetKey;
  /** The app's clock time before which a failed fetch is not tried again. */
  private retryAt = 0;
  private lastFailure: JwksFailure = 'unreachable';

  constructor(
    settings: WorkspaceTokens,
    private readonly clock: () => number,
    options: SiteKeysOptions = {},
  ) {
    const keys = settings.keys ?? [];
    this.inline = createLocalJWKSet({ keys });
    this.inlineKids = new Set(keys.map((k) => k.kid));
    const algorithms = new Set(keys.map((k) => String(k.alg)));
    if (settings.jwksUri) {
      for (const alg of WORKSPACE_TOKEN_ALGORITHMS) algorithms.add(alg);
      const maxBytes = options.maxBytes ?? JWKS_MAX_BYTES;
      this.published = createRemoteJWKSet(new URL(settings.jwksUri), {
        cooldownDuration: JWKS_COOLDOWN_MS,
        cacheMaxAge: JWKS_MAX_AGE_MS,
        timeoutDuration: options.timeoutMs ?? JWKS_TIMEOUT_MS,
        [customFetch]: ((url, init) => this.fetchKeySet(url, init, maxBytes)) satisfies FetchImplementation,
      });
    }
    this.algorithms = [...algorithms];
  }

  /** Whether a token naming `kid` may be verified here: a kid of the sites file, or any kid when a set is published. */
  mayHave(kid: string): boolean {
    return this.inlineKids.has(kid) || this.published !== undefined;
  }

  /** Whether `kid` is a key of the sites file (known before any fetch). */
  isInline(kid: string): boolean {
    return this.inlineKids.has(kid);
  }

  /** jose's key lookup: the sites file's key for its kids, else the published set's; JwksUnavailable when that cannot be read. */
  async getKey(header: CompactJWSHeaderParameters, token: FlattenedJWSInput) {
    if (header.kid !== undefined && this.inlineKids.has(header.kid)) return this.inline(header, token);
    if (!this.published) throw new errors.JWKSNoMatchingKey();
    try {
      return await this.published(header, token);
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) throw error;
      if (error instanceof JwksUnavailable) throw error;
      throw this.unavailable(failureOf(error));
    }
  }

  private unavailable(failure: JwksFailure): JwksUnavailable {
    return new JwksUnavailable(failure, Math.max(1, Math.ceil((this.retryAt - this.clock()) / 1000)));
  }

  /** The fetch jose calls: bounded, checked, and not repeated within the cooldown after a failure. */
  private async fetchKeySet(url: string, init: Parameters<FetchImplementation>[1], maxBytes: number): Promise<Response> {
    if (this.clock() < this.retryAt) throw this.unavailable(this.lastFailure);
    try {
      const response = await fetch(url, init);
      if (response.status !== 200) {
        await response.body?.cancel();
        throw new JwksUnavailable('status', 0);
      }
      const text = await readAtMost(response, maxBytes);
      if (text === null) throw new JwksUnavailable('too_large', 0);
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new JwksUnavailable('not_json', 0);
      }
      const checked = publishedKeySetSchema.safeParse(json);
      if (!checked.success) throw new JwksUnavailable('unfit_keys', 0);
      return Response.json({ keys: checked.data.keys });
    } catch (error) {
      this.lastFailure = failureOf(error);
      this.retryAt = this.clock() + JWKS_COOLDOWN_MS;
      throw this.unavailable(this.lastFailure);
    }
  }
}
