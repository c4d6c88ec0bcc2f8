/**
 * The chat server's calls to the Secure Forms server API (docs/integration.md, sections 3 to 5),
 * with the site's API credential as `Authorization: Bearer`. From this server only: the backend
 * refuses a credential sent by a browser. Every answer is parsed with @secure-forms/shared's schema.
 */
import {
  bearerAuthorization,
  integrationConversationSchema,
  registeredConversationSchema,
  requestJson,
  webhookEndpointListResponseSchema,
  webhookEndpointWithSecretSchema,
  type RegisteredConversation,
  type ResponseSchema,
} from '@secure-forms/shared';

export interface SecureFormsApiOptions {
  /** The PCI origin, e.g. http://127.0.0.1:8443. */
  pciOrigin: string;
  /** `sfk.…`, from your secret store. Never logged, never sent to a page. */
  apiCredential: string;
}

export function secureFormsApi({ pciOrigin, apiCredential }: SecureFormsApiOptions) {
  const call = <T>(method: string, path: string, schema: ResponseSchema<T>, body?: unknown) =>
    requestJson(
      new URL(`/v1/integration${path}`, pciOrigin),
      {
        method,
        headers: { Authorization: bearerAuthorization(apiCredential), 'Content-Type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      },
      schema,
    );
  return {
    /** Register our conversation (the same id again gives the same conversation and token). */
    register: (externalId: string, visitorName: string): Promise<RegisteredConversation> =>
      call('POST', '/conversations', registeredConversationSchema, { externalId, visitorName }),
    /** Give it to one of our agents, by our own id for that agent. */
    assign: (conversationId: string, agentId: string) =>
      call('POST', `/conversations/${conversationId}/assign`, integrationConversationSchema, { agentId }),
    /**
     * Register `url` for every event and answer its signing secret (shown once). Endpoints this
     * server registered at an earlier start are disabled first: a site has at most five.
     */
    async registerWebhook(url: string): Promise<string> {
      const { endpoints } = await call('GET', '/webhooks', webhookEndpointListResponseSchema);
      for (const old of endpoints.filter((e) => e.url === url && !e.disabledAt)) {
        await fetch(new URL(`/v1/integration/webhooks/${old.id}/disable`, pciOrigin), {
          method: 'POST',
          headers: { Authorization: bearerAuthorization(apiCredential) },
        });
      }
      return (await call('POST', '/webhooks', webhookEndpointWithSecretSchema, { url })).secret;
    },
  };
}
