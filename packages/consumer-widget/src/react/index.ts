/**
 * `@secure-forms/consumer-widget/react`: `<secure-form-invite>` as a React component, made with
 * @lit/react. Properties (`conversationToken` included) are set as properties, never as
 * attributes; events arrive as typed props that, like the events, never carry a value.
 *
 * ```tsx
 * <SecureFormInvite invitationId={id} formTitle="Payment card" pciOrigin="https://pci.example"
 *   siteId="acme" conversationToken={token} onSubmitted={(e) => e.detail.submissionId} />
 * ```
 */
import { createComponent, type EventName } from '@lit/react';
import * as React from 'react';
import { SecureFormClosedEvent, SecureFormInvite as SecureFormInviteElement, SecureFormSubmittedEvent } from '../loader.js';

export const SecureFormInvite = createComponent({
  tagName: 'secure-form-invite',
  elementClass: SecureFormInviteElement,
  react: React,
  events: {
    /** The answers reached the PCI backend: `detail` holds `invitationId` and `submissionId` only. */
    onSubmitted: SecureFormSubmittedEvent.type as EventName<SecureFormSubmittedEvent>,
    /** The visitor closed the form unsent. */
    onClosed: SecureFormClosedEvent.type as EventName<SecureFormClosedEvent>,
  },
  displayName: 'SecureFormInvite',
});
