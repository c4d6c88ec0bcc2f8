/**
 * Housekeeping, run every minute by the server and on demand by `cli.js purge`: expire invitations
 * whose time is up; drop submissions past retention, spent keys, ended sessions, closed
 * conversations past the transcript retention, audit entries past the audit retention and webhook
 * deliveries delivered or dead-lettered 30 days ago; then
 * expired off-the-record values.
 */
import type { SampledAuditSink } from '../audit/sampler.js';
import type { Invitations } from '../domain/invitations.js';
import type { OffTheRecordStore } from '../domain/off-the-record.js';
import type { Logger } from '../logger.js';
import type { Sites } from '../sites/schema.js';
import type { Store } from '../storage/types.js';

/** What one purge did. */
export interface PurgeResult {
  submissions: number;
  invitationsExpired: number;
  transcripts: number;
  auditPurged: number;
}

export interface PurgeDeps {
  store: Store;
  invitations: Invitations;
  sites: Sites;
  /** The off-the-record memories of every site that has one. */
  offTheRecord: () => Iterable<OffTheRecordStore>;
  /** The app's audit sink, whose purge drops daily files past retention. */
  audit: Pick<SampledAuditSink, 'purge'>;
  logger: Logger;
  clock: () => number;
}

/** How long a delivered or dead-lettered webhook is kept (the brand lists and redelivers them meanwhile). */
export const WEBHOOK_DELIVERY_RETENTION_MS = 30 * 24 * 3600_000;

/** Conversations deleted per transaction by the transcript retention (the event loop runs between batches). */
const TRANSCRIPT_BATCH = 200;

function addMonths(ms: number, months: number): number {
  const d = new Date(ms);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.getTime();
}

export async function purge({ store, invitations, sites, offTheRecord, audit, logger, clock }: PurgeDeps): Promise<PurgeResult> {
  const invitationsExpired = await invitations.sweepExpired();
  const now = clock();
  const purged = await store.purge(now);
  for (const memory of offTheRecord()) await memory.sweep();
  let transcripts = 0;
  for (const site of sites.all()) {
    const closedBefore = now - site.transcriptRetentionDays * 24 * 3600_000;
    // In batches, yielding between them, so a big backlog never holds the event loop for long.
    for (let n = TRANSCRIPT_BATCH; n === TRANSCRIPT_BATCH;) {
      n = await store.purgeTranscripts(site.id, closedBefore, TRANSCRIPT_BATCH);
      transcripts += n;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  if (transcripts > 0) await store.purgeExternalConversations();
  const webhookDeliveries = await store.purgeWebhookDeliveries(now - WEBHOOK_DELIVERY_RETENTION_MS);
  const auditMonths = Math.max(12, ...sites.all().map((s) => s.auditRetentionMonths));
  const auditPurged = await audit.purge(addMonths(now, -auditMonths));
  if (purged.submissions > 0) logger.info({ purged: purged.submissions }, 'submissions past retention purged');
  if (transcripts > 0) logger.info({ purged: transcripts }, 'conversations past transcript retention purged');
  if (auditPurged > 0) logger.info({ purged: auditPurged }, 'audit entries past retention purged');
  if (webhookDeliveries > 0) logger.info({ purged: webhookDeliveries }, 'webhook deliveries past retention purged');
  return { submissions: purged.submissions, invitationsExpired, transcripts, auditPurged };
}
