/**
 * The private keys of this panel's open invitations, in memory only: one non-extractable
 * `CryptoKey` per invitation id, never written to storage, never logged, never exported.
 * Dropping a key is final: answers sealed to it can no longer be opened in this page.
 */
export class KeyRing {
  readonly #keys = new Map<string, CryptoKey>();

  /** Hold `key` for `invitationId`, replacing any earlier key for it. */
  add(invitationId: string, key: CryptoKey): void {
    this.#keys.set(invitationId, key);
  }

  /** The key for `invitationId`, or `undefined` once it has been dropped (or never was here). */
  get(invitationId: string): CryptoKey | undefined {
    return this.#keys.get(invitationId);
  }

  has(invitationId: string): boolean {
    return this.#keys.has(invitationId);
  }

  /** Forget one invitation's key (it ended: cancelled, expired). */
  drop(invitationId: string): void {
    this.#keys.delete(invitationId);
  }

  /** Forget every key (session or conversation changed, element gone, page hidden). */
  clear(): void {
    this.#keys.clear();
  }

  get size(): number {
    return this.#keys.size;
  }
}
