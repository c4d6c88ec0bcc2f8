/**
 * Passkeys (WebAuthn) as an operator's second factor: registering one from a session, listing,
 * renaming and removing them, the passkey answer to a sign-in's second-factor challenge, and an
 * admin's reset of another operator's passkeys (which takes a fresh assertion of the admin's own).
 *
 * The ceremony's options and the browser's answers are WebAuthn's own JSON (the shapes of
 * `PublicKeyCredentialCreationOptionsJSON`, `RegistrationResponseJSON` and so on, as
 * @simplewebauthn/browser passes them): checked here for shape and size only; the backend verifies
 * them with @simplewebauthn/server.
 */
import * as z from 'zod/mini';
import { isoTimeSchema } from '../formats.js';
import { siteIdSchema, tokenSchema } from './common.js';

/** Second-factor methods a site can allow. */
export const SECOND_FACTOR_METHODS = ['passkey', 'totp'] as const;
export type SecondFactorMethod = (typeof SECOND_FACTOR_METHODS)[number];

/** base64url, as WebAuthn's JSON encodes bytes; bounded so a body cannot carry megabytes in one field. */
const b64url = (max: number) => z.string().check(z.regex(/^[A-Za-z0-9_-]*$/), z.maxLength(max));
const credentialBase = {
  id: b64url(1400),
  rawId: b64url(1400),
  type: z.literal('public-key'),
  clientExtensionResults: z.record(z.string(), z.unknown()),
  authenticatorAttachment: z.optional(z.enum(['platform', 'cross-platform'])),
};

/** The browser's answer to a registration (`startRegistration`'s result). */
export const passkeyRegistrationResponseSchema = z.object({
  ...credentialBase,
  response: z.object({
    clientDataJSON: b64url(4096),
    attestationObject: b64url(16_384),
    transports: z.optional(z.array(z.string().check(z.maxLength(32))).check(z.maxLength(10))),
    authenticatorData: z.optional(b64url(16_384)),
    publicKey: z.optional(b64url(4096)),
    publicKeyAlgorithm: z.optional(z.number()),
  }),
});

/** The browser's answer to an assertion (`startAuthentication`'s result). */
export const passkeyAssertionSchema = z.object({
  ...credentialBase,
  response: z.object({
    clientDataJSON: b64url(4096),
    authenticatorData: b64url(16_384),
    signature: b64url(2048),
    userHandle: z.optional(b64url(1024)),
  }),
});

/** WebAuthn options for the browser, passed to @simplewebauthn/browser as they are. */
export const passkeyOptionsSchema = z.looseObject({ challenge: b64url(1024) });

/** A passkey's own label: what the operator calls it ("Work laptop"). */
export const passkeyNameSchema = z.string().check(z.trim(), z.minLength(1), z.maxLength(60));

/** `POST /v1/sessions/current/passkeys/options` (session) → the options for `startRegistration`. */
export const passkeyRegistrationOptionsResponseSchema = z.object({ options: passkeyOptionsSchema });

/** `POST /v1/sessions/current/passkeys` (session): the registration, with its label → 201 `passkeySchema`. */
export const passkeyRegistrationRequestSchema = z.object({
  response: passkeyRegistrationResponseSchema,
  name: passkeyNameSchema,
});

/** One passkey as its operator sees it (nothing secret: the private key never leaves the authenticator). */
export const passkeySchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: isoTimeSchema,
  lastUsedAt: z.nullable(isoTimeSchema),
});
export type Passkey = z.infer<typeof passkeySchema>;

/**
 * `GET /v1/sessions/current/passkeys` (session) → the operator's passkeys, oldest first; `required`:
 * the site asks this operator for a second factor (so the last passkey goes only while another
 * allowed method is set up).
 */
export const passkeyListResponseSchema = z.object({ passkeys: z.array(passkeySchema), required: z.boolean() });

/** `PATCH /v1/sessions/current/passkeys/:id` (session) → 200 `passkeySchema`. */
export const passkeyRenameRequestSchema = z.object({ name: passkeyNameSchema });

/**
 * `POST /v1/sessions/second-factor/passkey` → 201 `loginResponseSchema`: the passkey answer to a
 * sign-in's second-factor challenge (whose `passkey` carried the options).
 */
export const passkeySecondFactorRequestSchema = z.object({ challenge: tokenSchema, response: passkeyAssertionSchema });

/** `POST /v1/sessions/second-factor/passkey-options`: the sign-in's challenge → fresh options. */
export const passkeyChallengeRequestSchema = z.object({ challenge: tokenSchema });

/** `POST /v1/sessions/passkey/options` (sites with `secondFactor.passwordless`): options for a sign-in with a passkey alone. */
export const passwordlessOptionsRequestSchema = z.object({ siteId: siteIdSchema });

/** `POST /v1/sessions/passkey` → 201 `loginResponseSchema`: the user-verified assertion of a passkey of the site. */
export const passwordlessSignInRequestSchema = z.object({ siteId: siteIdSchema, response: passkeyAssertionSchema });

/** `POST /v1/sessions/current/step-up` (session) → options for an assertion of the operator's own passkey. */
export const stepUpOptionsResponseSchema = z.object({ options: passkeyOptionsSchema });

/** `POST /v1/operators/:id/passkeys/reset` (admin session): the admin's fresh assertion → 200 `passkeyResetResponseSchema`. */
export const passkeyResetRequestSchema = z.object({ response: passkeyAssertionSchema });
export const passkeyResetResponseSchema = z.object({ removed: z.number() });
