/**
 * A site's (account's) configuration, validated when it loads. Limits follow DESIGN.md: OTK TTLs
 * 1 s .. 24 h, lockout 3..10 failed logins, password length never below 7.
 *
 * Operators have a role (agent, manager, admin) and a profile; a profile carries permissions.
 * Built-in profiles: `agent` (use-secure-form, on by default) and `manager` (no history viewing by
 * default); a site may redefine them or add its own profiles granting either permission.
 */
import { formDefinitionSchema, PERMISSIONS, ROLES, SECOND_FACTOR_METHODS, siteIdSchema, type Permission } from '@secure-forms/shared';
import * as z from 'zod';
import { workspaceTokensSchema } from './workspace-tokens.js';
import { ssoSettingsSchema } from '../accounts/sso/settings.js';

const ttlSeconds = z.int().min(1).max(86_400);
const origin = z.string().refine((value) => {
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
}, 'must be an origin such as http://localhost:8080');

const profileNameSchema = z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'must be lower-case letters, digits and dashes');

/** A fixed-window limit on something anonymous visitors create. */
const floodLimitSchema = z.strictObject({
  windowSeconds: z.int().min(1).max(3600),
  perAddress: z.int().min(1).max(100_000),
  perSite: z.int().min(1).max(10_000_000),
});

/** The shortest submit key a site may set: the frame's 60 s warning plus time to fill the form. */
export const MIN_SUBMIT_SECONDS = 120;
/** WCAG 2.2.1's "at least ten times" for extending a time limit. */
export const MIN_SUBMIT_EXTENSIONS = 10;
/**
 * The shortest agent idle timeout a site may set. The agent panel warns 30 s before its idle clear
 * with "I'm still here" (WCAG 2.2.1 asks for at least 20 s); under a minute it would run that
 * warning as soon as the agent stops, and it runs no shorter timer (it treats less as 60 s).
 */
export const MIN_IDLE_SECONDS = 60;
/** PCI DSS 8.2.8: re-authenticate after at most 15 minutes idle. */
export const MAX_IDLE_SECONDS = 900;
/** WCAG 2.2.1's 20-hour exception: a time limit this long needs no extensions. */
const TWENTY_HOURS = 20 * 3600;

export const DEFAULT_PROFILES = {
  agent: { permissions: ['use-secure-form'] },
  manager: { permissions: [] },
  admin: { permissions: [] },
} as const satisfies Record<string, { permissions: readonly Permission[] }>;

export const operatorConfigSchema = z.strictObject({
  username: z.string().regex(/^[a-z][a-z0-9._-]{0,39}$/, 'must be a lower-case username'),
  displayName: z.string().min(1).max(100),
  role: z.enum(ROLES),
  /** A profile name of this site; default: the profile named like the role. */
  profile: z.optional(profileNameSchema),
  /**
   * The id the brand's own chat platform knows this operator by: its server assigns and transfers
   * conversations by it (`/v1/integration`). Unique in the site.
   */
  externalId: z.optional(z.string().regex(/^[\x21-\x7e]{1,200}$/, 'must be 1 to 200 printable characters without spaces')),
});
export type OperatorConfig = z.infer<typeof operatorConfigSchema>;

export const siteConfigSchema = z
  .strictObject({
    id: siteIdSchema,
    title: z.string().min(1).max(200),
    /** Origins allowed to frame the form and to call the API (CORS). */
    brandOrigins: z.array(origin).min(1),
    otkTtlSeconds: z.strictObject({ view: ttlSeconds, submit: ttlSeconds, retrieve: ttlSeconds }),
    /** An invitation not submitted within this time expires. */
    invitationTtlSeconds: ttlSeconds.default(24 * 3600),
    /**
     * How many times the visitor may ask for more time before the submit deadline: at least
     * {@link MIN_SUBMIT_EXTENSIONS} unless the submit key lives 20 hours (WCAG 2.2.1).
     */
    submitExtensions: z.int().min(0).max(10),
    offTheRecord: z.strictObject({
      ttlSeconds: z.int().min(1).max(3600),
      maxEntries: z.int().min(1).max(1_000_000),
    }),
    retentionMonths: z.int().min(1).max(120),
    /** The audit log is kept this long (PCI DSS 10.5.1: at least 12 months). */
    auditRetentionMonths: z.int().min(12).max(120).default(12),
    /** Managers with view-responses-in-history may read on-the-record answers via the site's history key. */
    historyViewing: z.boolean().default(false),
    session: z.strictObject({
      idleTimeoutSeconds: z
        .int()
        .min(
          MIN_IDLE_SECONDS,
          `must be at least ${MIN_IDLE_SECONDS} seconds, so that the agent panel can warn at least 20 s before it clears itself for inactivity (WCAG 2.2.1)`,
        )
        .max(
          MAX_IDLE_SECONDS,
          `must be at most ${MAX_IDLE_SECONDS} seconds: PCI DSS 8.2.8 asks for re-authentication after 15 idle minutes`,
        ),
      absoluteLifetimeSeconds: z.int().min(300).max(86_400),
    }),
    lockoutThreshold: z.int().min(3).max(10),
    /** How long a lock lasts (PCI DSS 8.3.4: at least 30 minutes); an admin or `unlock` ends it sooner. */
    lockoutMinutes: z.int().min(30).max(1440).default(30),
    passwordMinLength: z.int().min(7).max(128),
    /**
     * The second factor (PCI DSS 8.4.2): always asked of managers and admins; of agents unless
     * `agents` is false (a new site asks everyone). `methods`: what an operator may answer with,
     * passkeys and, as a fallback, TOTP codes. `passwordless`: a passkey alone may sign in.
     * `passkeyRpId`: the WebAuthn relying party id, a
     * domain the workspace's origin belongs to; default: the first brand origin's host.
     */
    secondFactor: z
      .strictObject({
        agents: z.boolean().default(true),
        methods: z.array(z.enum(SECOND_FACTOR_METHODS)).min(1).default(['passkey', 'totp']),
        passkeyRpId: z.optional(z.string().regex(/^[a-z0-9.-]{1,253}$/, 'must be a domain name such as example.com')),
        /** Sign-in with a passkey alone (user verification required), no password: off unless set. */
        passwordless: z.boolean().default(false),
      })
      .default({ agents: true, methods: ['passkey', 'totp'], passwordless: false }),
    /** Login attempts per window, per operator and per client address. */
    loginRateLimit: z
      .strictObject({
        windowSeconds: z.int().min(1).max(3600),
        perOperator: z.int().min(1).max(1000),
        perAddress: z.int().min(1).max(10_000),
      })
      .default({ windowSeconds: 60, perOperator: 10, perAddress: 30 }),
    /** Anonymous visitors starting conversations, per window, per client address and per site. */
    conversationRateLimit: floodLimitSchema.default({ windowSeconds: 60, perAddress: 20, perSite: 600 }),
    /** Visitor messages, per window, per client address and per site. */
    messageRateLimit: floodLimitSchema.default({ windowSeconds: 60, perAddress: 60, perSite: 6000 }),
    /** Requests of the brand's chat server, per window, per API credential. */
    serverApiRateLimit: z
      .strictObject({ windowSeconds: z.int().min(1).max(3600), perCredential: z.int().min(1).max(1_000_000) })
      .default({ windowSeconds: 60, perCredential: 1200 }),
    /** Open visitor event streams, per conversation and per client address. */
    visitorStreamLimit: z
      .strictObject({ perConversation: z.int().min(1).max(100), perAddress: z.int().min(1).max(100_000) })
      .default({ perConversation: 5, perAddress: 50 }),
    /**
     * Closed conversations (transcript, watchers, invitations) are purged this many days after
     * they closed; one whose form responses are still within `retentionMonths` waits for them.
     */
    transcriptRetentionDays: z.int().min(1).max(3650).default(90),
    profiles: z.record(profileNameSchema, z.strictObject({ permissions: z.array(z.enum(PERMISSIONS)) })).default({}),
    operators: z.array(operatorConfigSchema).default([]),
    /**
     * Signing agents in from the brand's own workspace with a short-lived signed token
     * (`POST /v1/sessions/token-exchange`): the issuer, audience and public keys. Unset: no
     * token is accepted, agents sign in with their password.
     */
    workspaceTokens: z.optional(workspaceTokensSchema),
    /**
     * Single sign-on with OpenID Connect (accounts/sso/settings.ts): the provider, the client, and
     * groups to role and profile. Unset: operators sign in with their password only.
     */
    sso: z.optional(ssoSettingsSchema),
    forms: z.array(formDefinitionSchema).min(1),
  })
  .superRefine((s, ctx) => {
    // WCAG 2.2.1 Timing Adjustable: the frame warns WARN_BEFORE (60 s) ahead of the deadline with
    // "Give me more time"; the criterion asks for at least 20 s of warning and at least ten
    // extensions, unless the time limit is 20 hours or more.
    if (s.otkTtlSeconds.submit < MIN_SUBMIT_SECONDS) {
      ctx.addIssue({
        code: 'custom',
        message: `must be at least ${MIN_SUBMIT_SECONDS} seconds, so that the visitor is warned at least 20 s before the time to send runs out (WCAG 2.2.1)`,
        path: ['otkTtlSeconds', 'submit'],
      });
    }
    if (s.otkTtlSeconds.submit < TWENTY_HOURS && s.submitExtensions < MIN_SUBMIT_EXTENSIONS) {
      ctx.addIssue({
        code: 'custom',
        message: `must be at least ${MIN_SUBMIT_EXTENSIONS} while otkTtlSeconds.submit is under 20 hours (72000): WCAG 2.2.1 asks that the visitor can extend the time limit at least ten times`,
        path: ['submitExtensions'],
      });
    }
    if (new Set(s.forms.map((f) => f.id)).size !== s.forms.length) {
      ctx.addIssue({ code: 'custom', message: 'form ids must be unique', path: ['forms'] });
    }
    const names = new Set(s.operators.map((o) => o.username));
    if (names.size !== s.operators.length) ctx.addIssue({ code: 'custom', message: 'usernames must be unique', path: ['operators'] });
    const externalIds = s.operators.flatMap((o) => (o.externalId === undefined ? [] : [o.externalId]));
    if (new Set(externalIds).size !== externalIds.length) {
      ctx.addIssue({ code: 'custom', message: 'external ids must be unique', path: ['operators'] });
    }
    const profiles = new Set([...Object.keys(DEFAULT_PROFILES), ...Object.keys(s.profiles)]);
    s.operators.forEach((o, i) => {
      if (o.profile && !profiles.has(o.profile)) {
        ctx.addIssue({ code: 'custom', message: `unknown profile "${o.profile}"`, path: ['operators', i, 'profile'] });
      }
    });
    s.sso?.groups.forEach((g, i) => {
      if (g.profile && !profiles.has(g.profile)) {
        ctx.addIssue({ code: 'custom', message: `unknown profile "${g.profile}"`, path: ['sso', 'groups', i, 'profile'] });
      }
    });
  });
export type SiteConfig = z.infer<typeof siteConfigSchema>;
export type SiteConfigInput = z.input<typeof siteConfigSchema>;

/** The permissions of a profile on a site (its own definition, else the built-in one). */
export function profilePermissions(site: SiteConfig, profile: string): Permission[] {
  const own = site.profiles[profile];
  if (own) return [...own.permissions];
  const builtIn = (DEFAULT_PROFILES as Record<string, { permissions: readonly Permission[] }>)[profile];
  return builtIn ? [...builtIn.permissions] : [];
}

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
