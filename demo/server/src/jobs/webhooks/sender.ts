/**
 * The webhook sender: claims due deliveries of the outbox with a lease (so several instances never
 * send one delivery at once), signs each body with every valid secret of its endpoint, POSTs it,
 * and records the outcome: delivered on a 2xx; otherwise another attempt later, with exponential
 * backoff and jitter, until the last attempt, after which the delivery is a dead letter. Every
 * outcome is audited with the endpoint and event ids, never the body, a secret or a signature.
 */
import { randomUUID } from 'node:crypto';
import {
  signWebhook,
  WEBHOOK_EVENT_HEADER,
  WEBHOOK_ID_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
} from '@secure-forms/shared';
import type { AuditSink } from '../../audit/audit.js';
import type { Vault } from '../../crypto/vault.js';
import type { Logger } from '../../logger.js';
import type { Store } from '../../storage/types.js';
import type { WebhookAttemptOutcome, WebhookDeliveryRow, WebhookEndpointRow } from '../../storage/webhook-types.js';
import type { Transport } from './transport.js';

/** The delays before each attempt after the first (minutes): 8 attempts over about 22 hours. */
export const RETRY_DELAYS_MINUTES = [1, 5, 15, 60, 180, 360, 720] as const;
/** The attempts a delivery gets before it is dead-lettered. */
export const MAX_ATTEMPTS = RETRY_DELAYS_MINUTES.length + 1;
/** One attempt's deadline. */
export const ATTEMPT_TIMEOUT_MS = 10_000;
/** How long a claim holds a delivery: past it (a crashed sender) another instance may take it. */
const LEASE_MS = 60_000;
/** Deliveries claimed per round. */
const BATCH = 20;

export interface WebhookSenderDeps {
  store: Store;
  vault: Vault;
  clock: () => number;
  transport: Transport;
  audit: AuditSink;
  logger: Logger;
  /** A number in [0, 1) for the jitter (injectable for tests). */
  jitter?: () => number;
  /** One attempt's deadline (default {@link ATTEMPT_TIMEOUT_MS}). */
  timeoutMs?: number;
}

/** The delay before attempt `attempt + 1`, after `attempt` failed ones: the schedule's, ±20 %. */
export function retryDelayMs(attempt: number, jitter: number): number {
  const minutes = RETRY_DELAYS_MINUTES[Math.min(attempt, RETRY_DELAYS_MINUTES.length) - 1] ?? RETRY_DELAYS_MINUTES[0];
  return Math.round(minutes * 60_000 * (0.8 + 0.4 * jitter));
}

/** The secrets an endpoint signs with now: the current one, and the previous one until its deadline. */
export async function signingSecrets(vault: Vault, endpoint: WebhookEndpointRow, now: number): Promise<string[]> {
  const secrets = [await vault.openSecret(endpoint.secret, endpoint.id)];
  if (endpoint.previousSecret !== null && endpoint.previousExpiresAt !== null && now < endpoint.previousExpiresAt) {
    secrets.push(await vault.openSecret(endpoint.previousSecret, endpoint.id));
  }
  return secrets;
}

export class WebhookSender {
  /** This sender's lease name: unique per process and sender. */
  readonly holder = `sender:${randomUUID()}`;
  private readonly jitter: () => number;

  constructor(private readonly deps: WebhookSenderDeps) {
    this.jitter = deps.jitter ?? Math.random;
  }

  /** One round: claim what is due and attempt each (in parallel). Returns how many were attempted. */
  async runOnce(): Promise<number> {
    const { store, clock } = this.deps;
    const now = clock();
    const claimed = await store.claimWebhookDeliveries(this.holder, now, now + LEASE_MS, BATCH);
    // One delivery's failure of ours (its secret cannot be unwrapped, the database busy) leaves it
    // leased; the lease runs out and a later round tries it again. The others go on.
    await Promise.all(
      claimed.map((delivery) =>
        this.attempt(delivery).catch(() =>
          this.deps.logger.error({ endpointId: delivery.endpointId, eventId: delivery.eventId }, 'webhook attempt failed'),
        ),
      ),
    );
    return claimed.length;
  }

  private async attempt(delivery: WebhookDeliveryRow): Promise<void> {
    const { store, clock, transport } = this.deps;
    const endpoint = await store.findWebhookEndpoint(delivery.endpointId);
    const attempt = delivery.attempts + 1;
    if (!endpoint || endpoint.disabledAt !== null) {
      await this.record(delivery, { kind: 'dead', at: clock(), status: null, error: 'ENDPOINT_DISABLED' }, attempt);
      return;
    }
    // The delivery leaves the process: not before the commits it tells of are durable (storage/durable-commits.ts).
    await store.durable();
    const timestamp = Math.floor(clock() / 1000);
    const signature = await signWebhook(await signingSecrets(this.deps.vault, endpoint, clock()), delivery.payload, timestamp);
    const result = await transport(
      endpoint.url,
      {
        'Content-Type': 'application/json',
        'User-Agent': 'SecureForms-Webhooks/1',
        [WEBHOOK_SIGNATURE_HEADER]: signature,
        [WEBHOOK_ID_HEADER]: delivery.eventId,
        [WEBHOOK_EVENT_HEADER]: delivery.eventType,
        [WEBHOOK_TIMESTAMP_HEADER]: String(timestamp),
      },
      delivery.payload,
      this.deps.timeoutMs ?? ATTEMPT_TIMEOUT_MS,
    ).catch((): { error: 'CONNECTION_FAILED' } => ({ error: 'CONNECTION_FAILED' }));
    const at = clock();
    const status = 'status' in result ? result.status : null;
    if (status !== null && status >= 200 && status < 300) {
      await this.record(delivery, { kind: 'delivered', at, status }, attempt);
      return;
    }
    const error =
      'error' in result ? result.error : status !== null && status >= 300 && status < 400 ? 'REDIRECT_NOT_FOLLOWED' : 'HTTP_STATUS';
    const outcome: WebhookAttemptOutcome =
      attempt >= MAX_ATTEMPTS
        ? { kind: 'dead', at, status, error }
        : { kind: 'retry', at, status, error, nextAttemptAt: at + retryDelayMs(attempt, this.jitter()) };
    await this.record(delivery, outcome, attempt);
  }

  private async record(delivery: WebhookDeliveryRow, outcome: WebhookAttemptOutcome, attempt: number): Promise<void> {
    // Only the lease holder records: a sender whose lease ran out (and another took it) writes nothing.
    if (!(await this.deps.store.recordWebhookAttempt(delivery.id, this.holder, outcome))) return;
    this.deps.audit.write({
      at: new Date(outcome.at).toISOString(),
      action: outcome.kind === 'delivered' ? 'webhook.deliver' : outcome.kind === 'dead' ? 'webhook.dead-letter' : 'webhook.retry',
      outcome: outcome.kind === 'delivered' ? 'success' : 'refused',
      ...(outcome.kind === 'delivered' ? {} : { reason: outcome.error }),
      actor: 'system',
      siteId: delivery.siteId,
      webhookEndpointId: delivery.endpointId,
      webhookEventId: delivery.eventId,
      webhookAttempt: attempt,
      ...('status' in outcome && outcome.status !== null ? { httpStatus: outcome.status } : {}),
    });
    if (outcome.kind === 'dead') {
      this.deps.logger.warn({ endpointId: delivery.endpointId, eventId: delivery.eventId, error: outcome.error }, 'webhook dead-lettered');
    }
  }
}
