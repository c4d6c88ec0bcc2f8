/**
 * What the panel's action controllers share with the component: one object, made once, so that
 * each controller reaches the open scope, the live region and the catalogue the same way.
 */
import type { ReactiveControllerHost } from 'lit';
import type { FormSummary } from '@secure-forms/shared';
import type { PanelErrorCode } from '../../internal/problems.js';
import type { FocusController } from './focus-controller.js';
import type { InvitationLedger } from './invitation-ledger.js';
import type { LiveAnnouncer } from './live-announcer.js';
import type { RevealController } from './reveal-controller.js';
import type { SessionScope } from './session-scope.js';

/** The panel as its controllers see it: its inputs, updates and host events. */
export interface PanelHost extends ReactiveControllerHost, EventTarget {
  readonly conversationId: string;
  readonly operatorId: string;
}

/** The panel's collaborators and callbacks that its action controllers use. */
export interface PanelContext {
  /** The open (session, conversation) scope: its API client, `null` while closed. */
  scope: SessionScope;
  /** The invitations listed in the conversation. */
  invitations: InvitationLedger;
  live: LiveAnnouncer;
  focus: FocusController;
  reveal: RevealController;
  /** The form catalogue, once loaded: what may be sent, and the labels of the answers. */
  forms: () => FormSummary[] | null;
  /** The panel's supported locale. */
  locale: () => string;
  /** Show a refusal or failure at panel level and tell the host. */
  fail: (code: PanelErrorCode) => void;
  /** Clear the panel-level problem: any, or only `code`. */
  clear: (code?: PanelErrorCode) => void;
}
