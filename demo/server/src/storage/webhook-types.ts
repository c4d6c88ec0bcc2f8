/**
 * The rows and queries of webhooks to the brand's chat server: its endpoints (signing secrets
 * wrapped by the vault, never in clear) and the outbox of deliveries. Part of the one Store
 * (./types.ts).
 */
import type { WebhookEventType } from '@secure-forms/shared';

export interface WebhookEndpointRow {
  /** 16 base64url characters. */
  id: string;
  siteId: string;
  /** https (or http to a loopback address where the server allows it: tests, the local demo). */
  url: string;
  /** The event types sent to it. */
  events: WebhookEventType[];
  /** The current signing secret, wrapped by the vault (bound to the endpoint id). */
  secret: string;
  /** The secret before the last rotation, wrapped; signed with too until `previousExpiresAt`. */
  previousSecret: string | null;
  previousExpiresAt: number | null;
  /** The credential (`credential:<id>`) or operator that registered it. */
  createdBy: string;
  createdAt: number;
  disabledAt: number | null;
}

export interface WebhookDeliveryRow {
  /** `<eventId>.<endpointId>`: one delivery of one event to one endpoint. */
  id: string;
  /** The event's id: the idempotency key the receiver sees (`Secure-Forms-Webhook-Id`). */
  eventId: string;
  endpointId: string;
  siteId: string;
  eventType: WebhookEventType;
  /** The JSON body sent: ids, states and times only. */
  payload: string;
  createdAt: number;
  /** When the sender may try (again); null once delivered or dead-lettered. */
  nextAttemptAt: number | null;
  attempts: number;
  leaseHolder: string | null;
  leaseUntil: number | null;
  deliveredAt: number | null;
  /** Dead-lettered: no more attempts (`lastError` says why). */
  deadAt: number | null;
  lastStatus: number | null;
  lastError: string | null;
}

/** What the sender records after one attempt (only while it still holds the lease). */
export type WebhookAttemptOutcome =
  | { kind: 'delivered'; at: number; status: number }
  | { kind: 'retry'; at: number; nextAttemptAt: number; status: number | null; error: string }
  | { kind: 'dead'; at: number; status: number | null; error: string };

export interface WebhookQueries {
  insertWebhookEndpoint(row: WebhookEndpointRow): Promise<void>;
  findWebhookEndpoint(id: string): Promise<WebhookEndpointRow | undefined>;
  /** The site's endpoints, oldest first (disabled ones too). */
  listWebhookEndpoints(siteId: string): Promise<WebhookEndpointRow[]>;
  /** Replace the secret of an enabled endpoint, keeping the old one valid until `previousExpiresAt`; the row after. */
  rotateWebhookSecret(siteId: string, id: string, secret: string, previousExpiresAt: number): Promise<WebhookEndpointRow | undefined>;
  /** Stop signing with the previous secret now; the row after. */
  retirePreviousWebhookSecret(siteId: string, id: string): Promise<WebhookEndpointRow | undefined>;
  /** Disable an endpoint (once); the row after. No event is queued for it from then on. */
  disableWebhookEndpoint(siteId: string, id: string, now: number): Promise<WebhookEndpointRow | undefined>;
  /**
   * Lease up to `limit` due deliveries to `holder` until `leaseUntil`, atomically (one UPDATE …
   * RETURNING): a delivery is leased to one sender at a time, however many instances claim at once.
   */
  claimWebhookDeliveries(holder: string, now: number, leaseUntil: number, limit: number): Promise<WebhookDeliveryRow[]>;
  /** Record an attempt's outcome if `holder` still holds the lease; false when it no longer does. */
  recordWebhookAttempt(id: string, holder: string, outcome: WebhookAttemptOutcome): Promise<boolean>;
  /** The endpoint's latest deliveries, newest first. */
  listWebhookDeliveries(endpointId: string, limit: number): Promise<WebhookDeliveryRow[]>;
  /** Queue a delivery of the endpoint again (a dead letter included), with a fresh count of attempts; the row after. */
  redeliverWebhook(endpointId: string, id: string, now: number): Promise<WebhookDeliveryRow | undefined>;
  /** Delete deliveries delivered or dead-lettered before `before` (retention); returns how many. */
  purgeWebhookDeliveries(before: number): Promise<number>;
}
