/**
 * Signing in (password, then the TOTP second factor), the signed-in operator's own password, and
 * the administrator's view of the site's operators.
 */
import * as z from 'zod/mini';
import { isoTimeSchema } from '../formats.js';
import { PERMISSIONS, ROLES } from '../vocabulary.js';
import { siteIdSchema, tokenSchema } from './common.js';

/** A TOTP code: 6 digits. */
export const totpCodeSchema = z.string().check(z.regex(/^\d{6}$/));

export const loginRequestSchema = z.object({
  siteId: siteIdSchema,
  username: z.string().check(z.minLength(1), z.maxLength(100)),
  password: z.string().check(z.minLength(1), z.maxLength(1024)),
  /** The current TOTP code (RFC 6238), when the operator has a second factor; or use the challenge below. */
  totp: z.optional(totpCodeSchema),
});
export type LoginRequest = z.infer<typeof loginRequestSchema>;

export const operatorSchema = z.object({
  id: z.string(),
  siteId: siteIdSchema,
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  permissions: z.array(z.enum(PERMISSIONS)),
});
export type Operator = z.infer<typeof operatorSchema>;

export const loginResponseSchema = z.object({
  token: tokenSchema,
  operator: operatorSchema,
  idleTimeoutSeconds: z.number(),
  expiresAt: isoTimeSchema,
});
export type LoginResponse = z.infer<typeof loginResponseSchema>;

/**
 * `POST /v1/sessions` answers 200 with this (no session yet) when the password was right, the
 * operator has a second factor, and the request carried no `totp`. The panel then asks for the
 * code and calls `POST /v1/sessions/second-factor` with the challenge (single use, short TTL).
 */
export const secondFactorChallengeSchema = z.object({
  secondFactorRequired: z.literal(true),
  challenge: tokenSchema,
  expiresAt: isoTimeSchema,
  /** The methods this operator can answer with here, preferred first (a passkey before a TOTP code). */
  methods: z.optional(z.array(z.enum(['passkey', 'totp']))),
  /** When `methods` has `passkey`: the WebAuthn options for `startAuthentication` (api/passkeys.ts). */
  passkey: z.optional(z.looseObject({ challenge: z.string() })),
});
export type SecondFactorChallenge = z.infer<typeof secondFactorChallengeSchema>;

/** `POST /v1/sessions/second-factor` → 201 `loginResponseSchema`. */
export const secondFactorRequestSchema = z.object({ challenge: tokenSchema, totp: totpCodeSchema });

/**
 * `POST /v1/sessions/current/password` (session) → 204: the signed-in operator changes its own
 * password. The new one must meet the site's policy, not be a common password, and not be one of
 * the operator's last four; every other session of the operator ends.
 */
export const changePasswordRequestSchema = z.object({
  currentPassword: z.string().check(z.minLength(1), z.maxLength(1024)),
  newPassword: z.string().check(z.minLength(1), z.maxLength(1024)),
});
export type ChangePasswordRequest = z.infer<typeof changePasswordRequestSchema>;

/** `POST /v1/operators/:id/enable` (admin session) → `operatorStatusSchema`: re-enable a locked operator. */
export const operatorStatusSchema = z.object({
  operator: operatorSchema,
  locked: z.boolean(),
});
export type OperatorStatus = z.infer<typeof operatorStatusSchema>;

/** `GET /v1/operators` (admin session) → the site's operators with whether each is locked, oldest first. */
export const operatorListResponseSchema = z.object({ operators: z.array(operatorStatusSchema) });
