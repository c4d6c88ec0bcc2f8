/**
 * The operations of passkeys, for the OpenAPI document (openapi-operations.ts lists them with the
 * rest): the passkey answer to a sign-in's second step, an operator's own passkeys, and an
 * admin's reset of another operator's passkeys after a fresh assertion of its own.
 */
import * as shared from '@secure-forms/shared';
import type { Operation } from './openapi-operation.js';

/** The schemas these operations name. */
export const PASSKEY_SCHEMAS = {
  PasskeyOptionsResponse: shared.passkeyRegistrationOptionsResponseSchema,
  PasskeyChallengeRequest: shared.passkeyChallengeRequestSchema,
  PasskeySecondFactorRequest: shared.passkeySecondFactorRequestSchema,
  PasskeyRegistrationRequest: shared.passkeyRegistrationRequestSchema,
  PasskeyRenameRequest: shared.passkeyRenameRequestSchema,
  Passkey: shared.passkeySchema,
  PasskeyListResponse: shared.passkeyListResponseSchema,
  PasskeyResetRequest: shared.passkeyResetRequestSchema,
  PasskeyResetResponse: shared.passkeyResetResponseSchema,
  PasswordlessOptionsRequest: shared.passwordlessOptionsRequestSchema,
  PasswordlessSignInRequest: shared.passwordlessSignInRequestSchema,
};

export const PASSKEY_OPERATIONS: Operation[] = [
  {
    method: 'post',
    path: '/sessions/passkey/options',
    operationId: 'passwordlessOptions',
    refuses: ['FORBIDDEN'],
    summary:
      'WebAuthn options to sign in with a passkey alone (sites with secondFactor.passwordless): any passkey of the site, user verification required; single use, 5 minutes',
    credentials: [],
    request: 'PasswordlessOptionsRequest',
    responses: { '200': 'PasskeyOptionsResponse' },
  },
  {
    method: 'post',
    path: '/sessions/passkey',
    operationId: 'signInWithPasskey',
    refuses: ['FORBIDDEN', 'PASSKEY_REFUSED', 'PASSKEY_CLONED', 'PASSKEY_CHALLENGE_USED', 'ACCOUNT_LOCKED', 'RATE_LIMITED'],
    summary:
      'Sign in with a passkey alone: a user-verified assertion by a passkey registered on the site. Refusals are rate-limited per address and per credential, not counted towards the lock',
    credentials: [],
    request: 'PasswordlessSignInRequest',
    responses: { '201': 'LoginResponse' },
  },
  {
    method: 'post',
    path: '/sessions/second-factor/passkey-options',
    operationId: 'secondFactorPasskeyOptions',
    refuses: ['UNAUTHENTICATED', 'FORBIDDEN'],
    summary:
      "Fresh WebAuthn options for a sign-in's second step (the challenge's own were answered or abandoned); single use, bound to that challenge",
    credentials: [],
    request: 'PasskeyChallengeRequest',
    responses: { '200': 'PasskeyOptionsResponse' },
  },
  {
    method: 'post',
    path: '/sessions/second-factor/passkey',
    operationId: 'completeSignInWithPasskey',
    refuses: [
      'UNAUTHENTICATED',
      'PASSKEY_REFUSED',
      'PASSKEY_CLONED',
      'PASSKEY_CHALLENGE_USED',
      'ACCOUNT_LOCKED',
      'FORBIDDEN',
      'RATE_LIMITED',
    ],
    summary:
      "Complete a login with a passkey: the assertion answering the challenge's WebAuthn options. A wrong, removed or another operator's passkey (PASSKEY_REFUSED) and a cloned one (PASSKEY_CLONED) count towards the lock; a spent challenge (PASSKEY_CHALLENGE_USED) does not",
    credentials: [],
    request: 'PasskeySecondFactorRequest',
    responses: { '201': 'LoginResponse' },
  },
  {
    method: 'get',
    path: '/sessions/current/passkeys',
    operationId: 'listPasskeys',
    refuses: [],
    summary: "The signed-in operator's passkeys, oldest first, and whether the site asks it for a second factor",
    credentials: ['session'],
    responses: { '200': 'PasskeyListResponse' },
  },
  {
    method: 'post',
    path: '/sessions/current/passkeys/options',
    operationId: 'passkeyRegistrationOptions',
    refuses: ['FORBIDDEN'],
    summary: 'WebAuthn options to register a passkey, bound to this session, for 5 minutes',
    credentials: ['session'],
    responses: { '200': 'PasskeyOptionsResponse' },
  },
  {
    method: 'post',
    path: '/sessions/current/passkeys',
    operationId: 'registerPasskey',
    refuses: ['PASSKEY_REFUSED', 'PASSKEY_CHALLENGE_USED', 'FORBIDDEN'],
    summary: 'Register a passkey: the registration answering the options, with its name',
    credentials: ['session'],
    request: 'PasskeyRegistrationRequest',
    responses: { '201': 'Passkey' },
  },
  {
    method: 'patch',
    path: '/sessions/current/passkeys/{id}',
    operationId: 'renamePasskey',
    refuses: ['NOT_FOUND'],
    summary: 'Rename one of your passkeys',
    credentials: ['session'],
    request: 'PasskeyRenameRequest',
    responses: { '200': 'Passkey' },
  },
  {
    method: 'delete',
    path: '/sessions/current/passkeys/{id}',
    operationId: 'removePasskey',
    refuses: ['NOT_FOUND', 'PASSKEY_LAST_REQUIRED'],
    summary:
      'Remove one of your passkeys; the last one stays (PASSKEY_LAST_REQUIRED) while the site asks you for a second factor and no TOTP it accepts is set up',
    credentials: ['session'],
    responses: { '204': null },
  },
  {
    method: 'post',
    path: '/sessions/current/step-up',
    operationId: 'stepUpOptions',
    refuses: ['FORBIDDEN'],
    summary: 'WebAuthn options for a fresh assertion of your own passkey (before an admin reset), bound to this session',
    credentials: ['session'],
    responses: { '200': 'PasskeyOptionsResponse' },
  },
  {
    method: 'post',
    path: '/operators/{id}/passkeys/reset',
    operationId: 'resetPasskeys',
    refuses: ['FORBIDDEN', 'NOT_FOUND', 'PASSKEY_REFUSED', 'PASSKEY_CLONED', 'PASSKEY_CHALLENGE_USED'],
    summary: "Remove every passkey of another operator of the site (admin), with a fresh assertion of the admin's own passkey; audited",
    credentials: ['session'],
    request: 'PasskeyResetRequest',
    responses: { '200': 'PasskeyResetResponse' },
  },
];
