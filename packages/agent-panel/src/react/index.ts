/**
 * `@secure-forms/agent-panel/react`: `<secure-form-panel>` as a React component, made with
 * @lit/react. Properties (the session token included) are set as properties; events arrive as
 * typed props whose `detail` never carries a value.
 *
 * ```tsx
 * <SecureFormPanel pciOrigin="https://pci.example" conversationId={cid}
 *   session={token} onSubmitted={(e) => e.detail.submissionId} />
 * ```
 */
import { createComponent, type EventName } from '@lit/react';
import * as React from 'react';
import {
  SecureFormPanel as SecureFormPanelElement,
  SecureFormPanelClearedEvent,
  SecureFormPanelErrorEvent,
  SecureFormPanelSentEvent,
  SecureFormPanelStatusEvent,
  SecureFormPanelSubmittedEvent,
} from '../secure-form-panel.js';

export const SecureFormPanel = createComponent({
  tagName: 'secure-form-panel',
  elementClass: SecureFormPanelElement,
  react: React,
  events: {
    /** An invitation was sent (`secure-form-panel-sent`): `{ invitationId, formId }`. */
    onSent: SecureFormPanelSentEvent.type as EventName<SecureFormPanelSentEvent>,
    /** An invitation changed state (`secure-form-panel-status`): `{ invitationId, state }`. */
    onStatus: SecureFormPanelStatusEvent.type as EventName<SecureFormPanelStatusEvent>,
    /** The visitor submitted (`secure-form-panel-submitted`): `{ invitationId, submissionId }`. */
    onSubmitted: SecureFormPanelSubmittedEvent.type as EventName<SecureFormPanelSubmittedEvent>,
    /** Something was refused or failed (`secure-form-panel-error`): `{ code }`. */
    onError: SecureFormPanelErrorEvent.type as EventName<SecureFormPanelErrorEvent>,
    /** Everything was dropped, the agent was idle (`secure-form-panel-cleared`): `{ reason }`. */
    onCleared: SecureFormPanelClearedEvent.type as EventName<SecureFormPanelClearedEvent>,
  },
  displayName: 'SecureFormPanel',
});
