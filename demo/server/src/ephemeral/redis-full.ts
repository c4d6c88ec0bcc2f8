/**
 * A full Redis: `maxmemory` reached under `noeviction` (docs/deployment.md), so Redis refuses every
 * write with "OOM command not allowed when used memory > 'maxmemory'" (a script's write the same,
 * with the script named after it; a MULTI's as EXECABORT, the OOM among its earlier errors). The
 * request that needed the write is answered 503 with Retry-After (http/on-error.ts), and nothing of
 * it is stored: what it wrote elsewhere first is undone by its caller.
 */

/** Whether `error` is Redis refusing a write because it is full. */
export function isRedisFull(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.message.startsWith('OOM command not allowed')) return true;
  const previous = (error as { previousErrors?: unknown }).previousErrors;
  return Array.isArray(previous) && previous.some(isRedisFull);
}

/** How long a client is told to wait: values expire (or are retrieved) and free room within minutes. */
export const REDIS_FULL_RETRY_AFTER_SECONDS = 30;
