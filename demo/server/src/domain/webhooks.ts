/**
 * The brand's webhook endpoints, managed by its chat server (API credential): register one (its
 * signing secret shown once, stored only wrapped by the vault), list them, rotate a secret (the
 * previous one stays valid until a deadline or its explicit retirement: two valid at once),
 * disable one; list an endpoint's latest deliveries, dead letters included, and redeliver one.
 */
import {
  MAX_WEBHOOK_ENDPOINTS,
  WEBHOOK_EVENT_TYPES,
  type CreateWebhookEndpointRequest,
  type WebhookDelivery,
  type WebhookEndpoint,
  type WebhookEndpointWithSecret,
} from '@secure-forms/shared';
import { credentialActor } from '../audit/actors.js';
import { checkTarget, type TargetPolicy, type TargetRefusal } from '../jobs/webhooks/targets.js';
import type { ApiCredentialRow } from '../storage/integration-types.js';
import type { WebhookDeliveryRow, WebhookEndpointRow } from '../storage/webhook-types.js';
import { Refusal } from './refusal.js';
import type { Runtime } from './runtime.js';
import { iso } from './views.js';

/** The previous secret's validity after a rotation, unless the request says otherwise: a day. */
const DEFAULT_PREVIOUS_VALIDITY_SECONDS = 24 * 3600;
/** Deliveries listed per endpoint. */
const DELIVERIES_LISTED = 50;

const TARGET_MESSAGES: Record<TargetRefusal, string> = {
  invalid_url: 'The URL is not a valid https URL. Give the full address of your endpoint, starting with https://.',
  not_https: 'Webhooks are sent over https only. Serve your endpoint over TLS and register its https:// URL.',
  credentials_in_url: 'The URL may not hold a user name or password. Verify webhooks with the signing secret instead.',
  private_address:
    'The host resolves to a private, loopback or link-local address, which webhooks may not reach. Register a publicly reachable host.',
  unresolvable: 'The host name does not resolve. Check the URL, or register it once its DNS record exists.',
};

export function webhookEndpointView(row: WebhookEndpointRow, now: number): WebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    events: row.events,
    createdAt: iso(row.createdAt),
    disabledAt: row.disabledAt === null ? null : iso(row.disabledAt),
    previousSecretExpiresAt:
      row.previousSecret !== null && row.previousExpiresAt !== null && row.previousExpiresAt > now ? iso(row.previousExpiresAt) : null,
  };
}

export function webhookDeliveryView(row: WebhookDeliveryRow): WebhookDelivery {
  return {
    id: row.id,
    eventId: row.eventId,
    eventType: row.eventType,
    createdAt: iso(row.createdAt),
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt === null ? null : iso(row.nextAttemptAt),
    deliveredAt: row.deliveredAt === null ? null : iso(row.deliveredAt),
    deadLetteredAt: row.deadAt === null ? null : iso(row.deadAt),
    lastStatus: row.lastStatus,
    lastError: row.lastError,
  };
}

export class WebhookEndpoints {
  constructor(
    private readonly rt: Runtime,
    private readonly targets: TargetPolicy,
  ) {}

  /** A new signing secret: 256 random bits. */
  private newSecret(): string {
    return `whsec_${this.rt.random(32).toString('base64url')}`;
  }

  async register(credential: ApiCredentialRow, request: CreateWebhookEndpointRequest): Promise<WebhookEndpointWithSecret> {
    const refused = await checkTarget(request.url, this.targets);
    if (refused) throw new Refusal('VALIDATION_FAILED', TARGET_MESSAGES[refused], [{ path: 'url', reason: refused }]);
    const enabled = (await this.rt.store.listWebhookEndpoints(credential.siteId)).filter((e) => e.disabledAt === null);
    if (enabled.length >= MAX_WEBHOOK_ENDPOINTS) {
      throw new Refusal(
        'VALIDATION_FAILED',
        `This site already has ${MAX_WEBHOOK_ENDPOINTS} webhook endpoints. Disable one that is no longer used, then register the new one.`,
        [{ path: '', reason: 'too_many_endpoints' }],
      );
    }
    const id = this.rt.random(12).toString('base64url');
    const secret = this.newSecret();
    const now = this.rt.clock();
    const row: WebhookEndpointRow = {
      id,
      siteId: credential.siteId,
      url: request.url,
      events: [...new Set(request.events ?? WEBHOOK_EVENT_TYPES)],
      secret: this.rt.vault.wrapSecret(secret, id),
      previousSecret: null,
      previousExpiresAt: null,
      createdBy: credentialActor(credential.id),
      createdAt: now,
      disabledAt: null,
    };
    await this.rt.store.insertWebhookEndpoint(row);
    return { ...webhookEndpointView(row, now), secret };
  }

  async list(credential: ApiCredentialRow): Promise<WebhookEndpoint[]> {
    const now = this.rt.clock();
    return (await this.rt.store.listWebhookEndpoints(credential.siteId)).map((row) => webhookEndpointView(row, now));
  }

  /** An endpoint of the credential's site (NOT_FOUND for any other site's). */
  private async endpoint(credential: ApiCredentialRow, id: string): Promise<WebhookEndpointRow> {
    const row = await this.rt.store.findWebhookEndpoint(id);
    if (!row || row.siteId !== credential.siteId) throw new Refusal('NOT_FOUND', 'This site has no such webhook endpoint.');
    return row;
  }

  /** A new secret; the current one is signed with too until `previousValidForSeconds` from now. */
  async rotate(credential: ApiCredentialRow, id: string, previousValidForSeconds?: number): Promise<WebhookEndpointWithSecret> {
    const before = await this.endpoint(credential, id);
    if (before.disabledAt !== null) {
      throw new Refusal('VALIDATION_FAILED', 'This endpoint is disabled. Register a new one instead.', [{ path: '', reason: 'disabled' }]);
    }
    const secret = this.newSecret();
    const now = this.rt.clock();
    const validFor = previousValidForSeconds ?? DEFAULT_PREVIOUS_VALIDITY_SECONDS;
    const after = await this.rt.store.rotateWebhookSecret(
      credential.siteId,
      id,
      this.rt.vault.wrapSecret(secret, id),
      now + validFor * 1000,
    );
    if (!after) throw new Refusal('NOT_FOUND', 'This site has no such webhook endpoint.');
    return { ...webhookEndpointView(after, now), secret };
  }

  /** Stop signing with the previous secret now (the rotation is complete on the receiver's side). */
  async retirePrevious(credential: ApiCredentialRow, id: string): Promise<WebhookEndpoint> {
    await this.endpoint(credential, id);
    const after = await this.rt.store.retirePreviousWebhookSecret(credential.siteId, id);
    if (!after) throw new Refusal('NOT_FOUND', 'This site has no such webhook endpoint.');
    return webhookEndpointView(after, this.rt.clock());
  }

  /** Disable an endpoint: nothing more is queued for it, and what is queued is dead-lettered. */
  async disable(credential: ApiCredentialRow, id: string): Promise<WebhookEndpoint> {
    await this.endpoint(credential, id);
    const now = this.rt.clock();
    const after = await this.rt.store.disableWebhookEndpoint(credential.siteId, id, now);
    if (!after) throw new Refusal('NOT_FOUND', 'This site has no such webhook endpoint.');
    return webhookEndpointView(after, now);
  }

  async deliveries(credential: ApiCredentialRow, id: string): Promise<WebhookDelivery[]> {
    await this.endpoint(credential, id);
    return (await this.rt.store.listWebhookDeliveries(id, DELIVERIES_LISTED)).map(webhookDeliveryView);
  }

  /** Queue a delivery again (a dead letter, or one delivered), with the same event id and a fresh count of attempts. */
  async redeliver(credential: ApiCredentialRow, id: string, deliveryId: string): Promise<WebhookDelivery> {
    const endpoint = await this.endpoint(credential, id);
    if (endpoint.disabledAt !== null) {
      throw new Refusal('VALIDATION_FAILED', 'This endpoint is disabled: nothing can be delivered to it.', [
        { path: '', reason: 'disabled' },
      ]);
    }
    const row = await this.rt.store.redeliverWebhook(id, deliveryId, this.rt.clock());
    if (!row) throw new Refusal('NOT_FOUND', 'This endpoint has no such delivery.');
    return webhookDeliveryView(row);
  }
}
