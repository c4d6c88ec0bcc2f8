/** The services one app instance shares, built once by createApp. */
import type { AccountService } from '../accounts/accounts.js';
import type { AuditSink } from '../audit/audit.js';
import type { RandomBytes } from '../crypto/tokens.js';
import type { Vault } from '../crypto/vault.js';
import type { EventHub } from '../events/hub.js';
import type { HistoryKeys } from '../crypto/history-keys.js';
import type { OpenStreams } from '../health/open-streams.js';
import type { Logger } from '../logger.js';
import type { OffTheRecordStore } from './off-the-record.js';
import type { OtkService } from './otk.js';
import type { Sites } from '../sites/schema.js';
import type { Store } from '../storage/types.js';

export interface Runtime {
  store: Store;
  clock: () => number;
  random: RandomBytes;
  sites: Sites;
  hub: EventHub;
  otks: OtkService;
  vault: Vault;
  historyKeys: HistoryKeys;
  accounts: AccountService;
  /** The off-the-record memory of a site. */
  offTheRecord(siteId: string): OffTheRecordStore;
  audit: AuditSink;
  logger: Logger;
  /** How often SSE streams send a keep-alive comment. */
  keepAliveMs: number;
  /** The open SSE streams, which a graceful shutdown ends with a retry hint. */
  streams: OpenStreams;
}
