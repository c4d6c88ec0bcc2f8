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
  type SecureFormClearedDetail,
  type SecureFormErrorDetail,
  type SecureFormSentDetail,
  type SecureFormStatusDetail,
  type SecureFormSubmittedDetail,
} from '../secure-form-panel.js';

export const SecureFormPanel = createComponent({
  tagName: 'secure-form-panel',
  elementClass: SecureFormPanelElement,
  react: React,
  events: {
    /** An invitation was sent: `{ invitationId, formId }`. */
    onSent: 'secure-form-sent' as EventName<CustomEvent<SecureFormSentDetail>>,
    /** An invitation changed state: `{ invitationId, state }`. */
    onStatus: 'secure-form-status' as EventName<CustomEvent<SecureFormStatusDetail>>,
    /** The visitor submitted: `{ invitationId, submissionId }`. */
    onSubmitted: 'secure-form-submitted' as EventName<CustomEvent<SecureFormSubmittedDetail>>,
    /** Something was refused or failed: `{ code }`. */
    onError: 'secure-form-error' as EventName<CustomEvent<SecureFormErrorDetail>>,
    /** Everything was dropped (the agent was idle): `{ reason }`. */
    onCleared: 'secure-form-cleared' as EventName<CustomEvent<SecureFormClearedDetail>>,
  },
  displayName: 'SecureFormPanel',
});
