/**
 * The invitation's host events. Each is an `Event` subclass with a `static type`, bubbling and
 * composed, and carries ids only: never a value, key or token.
 */

/**
 * Fired when the visitor's answers reached the PCI backend. Carries ids only, never a value.
 */
export class SecureFormSubmittedEvent extends Event {
  static readonly type = 'secure-form-submitted';
  constructor(readonly detail: { readonly invitationId: string; readonly submissionId: string }) {
    super(SecureFormSubmittedEvent.type, { bubbles: true, composed: true });
  }
}

/** Fired when the visitor closed the form without sending it. Carries nothing. */
export class SecureFormClosedEvent extends Event {
  static readonly type = 'secure-form-closed';
  constructor() {
    super(SecureFormClosedEvent.type, { bubbles: true, composed: true });
  }
}
