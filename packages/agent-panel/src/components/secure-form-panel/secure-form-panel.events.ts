/**
 * The panel's host events. Each is an `Event` subclass with a `static type`, as the widget's are,
 * and a `detail` that holds ids, states and codes only: never a value, key or token. The names
 * start with `secure-form-panel-` so that a page using both packages gets one type per name (the
 * widget's `<secure-form-invite>` fires its own `secure-form-submitted`).
 */
import type { InvitationState } from '@secure-forms/shared';
import type { PanelErrorCode } from '../../internal/problems.js';

/** An invitation was created in this conversation by this panel. */
export interface SecureFormSentDetail {
  readonly invitationId: string;
  readonly formId: string;
}
/** An invitation moved to a new state (or was opened once more). */
export interface SecureFormStatusDetail {
  readonly invitationId: string;
  readonly state: InvitationState;
}
/** The visitor submitted; the panel is retrieving the answers. */
export interface SecureFormSubmittedDetail {
  readonly invitationId: string;
  readonly submissionId: string;
}
/** Something was refused or failed; the panel shows the reason. */
export interface SecureFormErrorDetail {
  readonly code: PanelErrorCode;
}
/** The panel dropped every key and answer because the agent was idle. */
export interface SecureFormClearedDetail {
  readonly reason: 'idle';
}

/**
 * What the panel's events share: they bubble out of the shadow root and carry a `detail`. Each
 * subclass only names its `static type`, which the constructor reads from the class it builds.
 */
abstract class PanelEvent<T> extends Event {
  constructor(
    /** Ids, states and codes only. */
    readonly detail: T,
  ) {
    super((new.target as unknown as { readonly type: string }).type, { bubbles: true, composed: true });
  }
}

/** `secure-form-panel-sent`: an invitation was sent by this panel. */
export class SecureFormPanelSentEvent extends PanelEvent<SecureFormSentDetail> {
  static readonly type = 'secure-form-panel-sent';
}

/** `secure-form-panel-status`: an invitation changed state. */
export class SecureFormPanelStatusEvent extends PanelEvent<SecureFormStatusDetail> {
  static readonly type = 'secure-form-panel-status';
}

/** `secure-form-panel-submitted`: the visitor submitted; the panel is retrieving the answers. */
export class SecureFormPanelSubmittedEvent extends PanelEvent<SecureFormSubmittedDetail> {
  static readonly type = 'secure-form-panel-submitted';
}

/** `secure-form-panel-error`: something was refused or failed. */
export class SecureFormPanelErrorEvent extends PanelEvent<SecureFormErrorDetail> {
  static readonly type = 'secure-form-panel-error';
}

/** `secure-form-panel-cleared`: everything was dropped because the agent was idle. */
export class SecureFormPanelClearedEvent extends PanelEvent<SecureFormClearedDetail> {
  static readonly type = 'secure-form-panel-cleared';
}
