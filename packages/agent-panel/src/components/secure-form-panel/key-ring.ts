/**
 * The secrets the panel holds per invitation, in memory only: its non-extractable private key and
 * the retrieve OTK the event stream handed over, until spent. Never exported, stored or rendered.
 */
export class KeyRing {
  readonly #keys = new Map<string, CryptoKey>();
  readonly #retrieveOtks = new Map<string, string>();

  /** Keep the private key of `invitationId`. */
  setKey(invitationId: string, key: CryptoKey): void {
    this.#keys.set(invitationId, key);
  }

  /** The private key of `invitationId`, if this page holds it. */
  key(invitationId: string): CryptoKey | undefined {
    return this.#keys.get(invitationId);
  }

  /** Whether this page still holds the private key of `invitationId`. */
  hasKey(invitationId: string): boolean {
    return this.#keys.has(invitationId);
  }

  /** Keep the retrieve OTK of `invitationId` until it is taken. */
  setRetrieveOtk(invitationId: string, otk: string): void {
    this.#retrieveOtks.set(invitationId, otk);
  }

  /** Take (and forget) the retrieve OTK of `invitationId`: one attempt spends it, whatever its outcome. */
  takeRetrieveOtk(invitationId: string): string | undefined {
    const otk = this.#retrieveOtks.get(invitationId);
    this.#retrieveOtks.delete(invitationId);
    return otk;
  }

  /** Forget the retrieve OTK of `invitationId` (its retrieve failed). */
  dropRetrieveOtk(invitationId: string): void {
    this.#retrieveOtks.delete(invitationId);
  }

  /** Forget one invitation's key and retrieve OTK (it ended). */
  drop(invitationId: string): void {
    this.#keys.delete(invitationId);
    this.#retrieveOtks.delete(invitationId);
  }

  /** Forget every key and retrieve OTK. */
  clear(): void {
    this.#keys.clear();
    this.#retrieveOtks.clear();
  }
}
