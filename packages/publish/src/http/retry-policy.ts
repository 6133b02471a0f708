/** How often a request that certainly did not reach the provider is tried again. Every default is here. */
export interface RetryPolicy {
  /** Tries in all, the first included. Default 3. */
  attempts: number;
  /** First wait after a refused connection; doubled each time. Default 250 ms. */
  baseDelayMs: number;
  /** Longest wait, also the largest Retry-After that is honoured. Default 30 s. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 3, baseDelayMs: 250, maxDelayMs: 30_000 };

/** Socket errors that happen before a connection exists: nothing was sent, so a retry cannot send twice. */
const NOT_CONNECTED_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/** What went wrong with a fetch that got no answer. */
export type NetworkFailure = 'not-connected' | 'other';

/** Looks through fetch's error and its causes (undici wraps the socket error, and may aggregate several). */
export function classifyNetworkError(error: unknown): NetworkFailure {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  const codes: string[] = [];
  while (queue.length > 0) {
    const current = queue.shift();
    if (typeof current !== 'object' || current === null || seen.has(current)) continue;
    seen.add(current);
    const { code, cause, errors } = current as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof code === 'string') codes.push(code);
    queue.push(cause);
    if (Array.isArray(errors)) queue.push(...(errors as unknown[]));
  }
  const socketCodes = codes.filter((code) => code.startsWith('E'));
  return socketCodes.length > 0 && socketCodes.every((code) => NOT_CONNECTED_CODES.has(code)) ? 'not-connected' : 'other';
}

/** Milliseconds to wait from a Retry-After header (seconds, or an HTTP date), or null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null || value.trim() === '') return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false };

/**
 * Whether to try again after attempt number `attempt` (1-based) failed. Only two failures qualify: no connection
 * was made, or the provider said 429 with a Retry-After within bounds. A timeout, a reset connection or a 5xx
 * never does: the request body may have gone out, and a retry could message the customer twice.
 */
export function decideRetry(
  failure: { kind: 'not-connected' } | { kind: 'rate-limited'; retryAfterMs: number | null } | { kind: 'other' },
  attempt: number,
  policy: RetryPolicy,
): RetryDecision {
  if (attempt >= policy.attempts) return { retry: false };
  if (failure.kind === 'not-connected') return { retry: true, delayMs: Math.min(policy.baseDelayMs * 2 ** (attempt - 1), policy.maxDelayMs) };
  if (failure.kind === 'rate-limited' && failure.retryAfterMs !== null && failure.retryAfterMs <= policy.maxDelayMs) {
    return { retry: true, delayMs: failure.retryAfterMs };
  }
  return { retry: false };
}
