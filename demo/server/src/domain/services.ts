/** The domain services one app instance uses, wired together. */
import type { Conversations } from './conversations.js';
import type { History } from './history.js';
import type { Integration } from './integration.js';
import type { Invitations } from './invitations.js';
import type { Runtime } from './runtime.js';
import type { Submissions } from './submissions.js';
import type { WebhookEndpoints } from './webhooks.js';
import type { SingleSignOn } from '../accounts/sso/single-sign-on.js';

export interface Services {
  rt: Runtime;
  conversations: Conversations;
  invitations: Invitations;
  submissions: Submissions;
  history: History;
  /** The brand's own chat server: API credentials and the integration API. */
  integration: Integration;
  /** The brand chat server's webhook endpoints and their deliveries. */
  webhooks: WebhookEndpoints;
  /** Single sign-on with the sites' OpenID Providers (accounts/sso/). */
  sso: SingleSignOn;
}
