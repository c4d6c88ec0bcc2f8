/**
 * Follows `GET /v1/agent/events`, the operator's own server-sent event stream, with shared's
 * `followEventStream`: each event parsed by `agentEventSchema`, reconnects with the shared backoff,
 * and a final refusal (session expired, forbidden) reported once through `onRefused`.
 */
import { agentEventSchema, followEventStream, type AgentEvent, type EventStreamHandlers } from '@secure-forms/shared';

export interface AgentEventStreamOptions extends EventStreamHandlers<AgentEvent> {
  /** Absolute URL of `/v1/agent/events`. */
  url: string;
  /** The session header (and nothing else secret). */
  headers: Record<string, string>;
}

/** Runs until `options.signal` aborts or the backend refuses the session. Never rejects. */
export function followAgentEvents(options: AgentEventStreamOptions): Promise<void> {
  const { url, headers, ...handlers } = options;
  return followEventStream(url, headers, agentEventSchema, handlers);
}
