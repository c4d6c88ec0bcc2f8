/**
 * The rows and queries of passkeys (WebAuthn credentials): part of the one Store (./types.ts).
 * Nothing here is secret: a passkey's private key never leaves its authenticator.
 */

export interface PasskeyRow {
  /** The credential id (base64url), as the authenticator made it. */
  id: string;
  operatorId: string;
  siteId: string;
  /** The COSE public key. */
  publicKey: Uint8Array;
  /** The signature counter last accepted (0 for authenticators that do not count). */
  counter: number;
  /** The browser's transport hints (`usb`, `internal`, `hybrid`…), comma-separated; '' when none. */
  transports: string;
  /** The operator's own label for it. */
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
}

export interface PasskeyQueries {
  /** Add a passkey; false (nothing written) when a passkey with that credential id exists. */
  insertPasskey(row: PasskeyRow): Promise<boolean>;
  findPasskey(id: string): Promise<PasskeyRow | undefined>;
  /** The operator's passkeys, oldest first. */
  listPasskeys(operatorId: string): Promise<PasskeyRow[]>;
  /**
   * Accept a signature counter, atomically: only when `counter` is above the stored one, or when
   * both are 0 (an authenticator that does not count). False when another assertion got there
   * first or the counter did not increase (a cloned authenticator).
   */
  acceptPasskeyUse(id: string, counter: number, now: number): Promise<boolean>;
  renamePasskey(operatorId: string, id: string, name: string): Promise<boolean>;
  /**
   * Remove one passkey of the operator, in one transaction that holds the operator's row (so two
   * removals at once cannot both see a second passkey): 'missing' when it has no such passkey,
   * 'last' (nothing removed) when `keepOne` and it is the operator's only one.
   */
  deletePasskey(operatorId: string, id: string, keepOne: boolean): Promise<'deleted' | 'missing' | 'last'>;
  /** Remove every passkey of the operator; how many. */
  deletePasskeys(operatorId: string): Promise<number>;
}
