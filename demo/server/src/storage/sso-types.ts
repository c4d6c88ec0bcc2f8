/** The single sign-on identities' rows and queries (storage/sso.ts; migration 0005). */
import type { OperatorRow } from './types.js';

/** An operator's identity at a site's OpenID Provider. */
export interface SsoIdentityRow {
  siteId: string;
  issuer: string;
  subject: string;
  operatorId: string;
  createdAt: number;
  /** Set while the provider's claims grant nothing on the site (deprovisioned). */
  disabledAt: number | null;
}

export interface SsoQueries {
  findSsoIdentity(siteId: string, issuer: string, subject: string): Promise<SsoIdentityRow | undefined>;
  /**
   * Insert the operator and its identity in one transaction; false when the identity exists
   * already (another sign-in provisioned it first), with nothing inserted.
   */
  provisionSsoOperator(operator: OperatorRow, identity: SsoIdentityRow): Promise<boolean>;
  /** Disable the identity and revoke every session of its operator, in one transaction. */
  disableSsoOperator(operatorId: string, now: number): Promise<void>;
  /** Clear the identity's `disabledAt`. */
  enableSsoOperator(operatorId: string): Promise<void>;
}
