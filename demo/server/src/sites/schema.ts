/**
 * A site's (account's) configuration, validated when it loads. Limits follow DESIGN.md: OTK TTLs
 * 1 s .. 24 h, lockout 3..10 failed logins, password length never below 7.
 */
import { formDefinitionSchema, siteIdSchema } from '@secure-forms/shared';
import * as z from 'zod/mini';

const ttlSeconds = z.int().check(z.minimum(1), z.maximum(86_400));
const origin = z.string().check(
  z.refine((value) => {
    try {
      return new URL(value).origin === value;
    } catch {
      return false;
    }
  }, 'must be an origin such as http://localhost:8080'),
);

export const siteConfigSchema = z
  .object({
    id: siteIdSchema,
    title: z.string().check(z.minLength(1), z.maxLength(200)),
    /** Origins allowed to frame the form and to call the API (CORS). */
    brandOrigins: z.array(origin).check(z.minLength(1)),
    otkTtlSeconds: z.object({ view: ttlSeconds, submit: ttlSeconds, retrieve: ttlSeconds }),
    /** How many times the visitor may ask for more time before the submit deadline. */
    submitExtensions: z.int().check(z.minimum(0), z.maximum(10)),
    offTheRecord: z.object({
      ttlSeconds: z.int().check(z.minimum(1), z.maximum(3600)),
      maxEntries: z.int().check(z.minimum(1), z.maximum(1_000_000)),
    }),
    retentionMonths: z.int().check(z.minimum(1), z.maximum(120)),
    session: z.object({
      idleTimeoutSeconds: z.int().check(z.minimum(60), z.maximum(900)),
      absoluteLifetimeSeconds: z.int().check(z.minimum(300), z.maximum(86_400)),
    }),
    lockoutThreshold: z.int().check(z.minimum(3), z.maximum(10)),
    passwordMinLength: z.int().check(z.minimum(7), z.maximum(128)),
    forms: z.array(formDefinitionSchema).check(z.minLength(1)),
  })
  .check(
    z.refine((s) => new Set(s.forms.map((f) => f.id)).size === s.forms.length, {
      message: 'form ids must be unique',
      path: ['forms'],
    }),
  );
export type SiteConfig = z.infer<typeof siteConfigSchema>;

/** The loaded sites, by id. */
export class Sites {
  private readonly byId: ReadonlyMap<string, SiteConfig>;
  constructor(sites: readonly SiteConfig[]) {
    this.byId = new Map(sites.map((s) => [s.id, s]));
  }
  get(id: string): SiteConfig | undefined {
    return this.byId.get(id);
  }
  all(): SiteConfig[] {
    return [...this.byId.values()];
  }
  /** Every brand origin of every site: the CORS allow-list. */
  allBrandOrigins(): Set<string> {
    return new Set(this.all().flatMap((s) => s.brandOrigins));
  }
}
