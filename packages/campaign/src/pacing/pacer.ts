/** Every default of the campaign's pacing, in one place. */
export interface PacingPolicy {
  /** Messages per second from one sending number. Meta's default tier allows 80. */
  ratePerSecond: number;
  /**
   * Messages that may go out back to back when sending was held up (the token bucket's size), so slots lost while
   * the process was busy are caught up. The one-second window still caps them. Default a tenth of the rate, at least 1.
   */
  burst: number;
  /** First wait after a throttle without Retry-After; doubled on each throttle in a row. Default 1 s. */
  throttleBaseMs: number;
  /** Longest wait after a throttle, Retry-After included. Default 60 s. */
  throttleMaxMs: number;
  /** Wait before sending again to a recipient refused for the pair rate (131056); doubled each time. Default 6 s. */
  pairDelayMs: number;
  /** Tries for one recipient refused for the pair rate, after which it is failed. Default 3. */
  pairAttempts: number;
}

export const DEFAULT_PACING: PacingPolicy = {
  ratePerSecond: 80,
  burst: 8,
  throttleBaseMs: 1000,
  throttleMaxMs: 60_000,
  pairDelayMs: 6000,
  pairAttempts: 3,
};

/** The burst allowed by default at a rate: a tenth of a second's messages, at least one. */
export function defaultBurst(ratePerSecond: number): number {
  return Math.max(1, Math.floor(ratePerSecond / 10));
}

/** One message sent: its number in the run, when it went out, and when its answer came (null while none has). */
export interface SentMark {
  seq: number;
  sentAt: number;
  answeredAt: number | null;
}

/** The pacer's memory: the token bucket, the sends still in the window, a pause, throttles in a row. */
export interface PacerState {
  /** Tokens in the bucket at `tokensAt`; null before the first send (a full bucket). */
  tokens: number | null;
  tokensAt: number;
  recent: readonly SentMark[];
  sent: number;
  pausedUntil: number;
  throttlesInARow: number;
}

export const INITIAL_PACER: PacerState = { tokens: null, tokensAt: 0, recent: [], sent: 0, pausedUntil: 0, throttlesInARow: 0 };

/** Added to the window: the clock counts whole milliseconds, so each time read may be up to 1 ms early. */
const CLOCK_STEP_MS = 2;

/** The rate as a whole number of messages per window: 80/s is 80 in 1000 ms, 0.5/s is 1 in 2000 ms. */
function windowOf(policy: PacingPolicy): { count: number; ms: number } {
  const count = Math.max(1, Math.floor(policy.ratePerSecond));
  return { count, ms: (count * 1000) / policy.ratePerSecond + CLOCK_STEP_MS };
}

function tokensAt(state: PacerState, now: number, policy: PacingPolicy): number {
  if (state.tokens === null) return policy.burst;
  return Math.min(policy.burst, state.tokens + (Math.max(0, now - state.tokensAt) * policy.ratePerSecond) / 1000);
}

/**
 * From when a message counts in the provider's window: when its answer came (or its request failed), since it
 * reached the provider no later. A message still waiting may reach it at any time, so it counts from the end of time.
 */
function countsFrom(mark: SentMark): number {
  return mark.answeredAt ?? Number.POSITIVE_INFINITY;
}

/**
 * The earliest time the next message may go out: a token in the bucket, fewer than the rate's count in the window
 * before it, and no pause. Asked again after waiting, since an answer may move it earlier. Pure.
 */
export function nextSendAt(state: PacerState, now: number, policy: PacingPolicy): number {
  const tokens = tokensAt(state, now, policy);
  const bucketAt = tokens >= 1 ? now : now + ((1 - tokens) * 1000) / policy.ratePerSecond;
  const window = windowOf(policy);
  let windowAt = now;
  if (state.recent.length >= window.count) {
    // Full until enough of the sends in it leave it for one more to fit.
    const froms = state.recent.map((mark) => countsFrom(mark)).sort((a, b) => b - a);
    windowAt = (froms[window.count - 1] ?? 0) + window.ms;
  }
  return Math.max(now, bucketAt, windowAt, state.pausedUntil);
}

/** Records a message going out at `at` (no sooner than `nextSendAt`): spends a token, enters the window. Pure. */
export function recordSend(state: PacerState, at: number, policy: PacingPolicy): { seq: number; state: PacerState } {
  const seq = state.sent + 1;
  const window = windowOf(policy);
  // Kept while it may still be in the window, which its answer, not its order, decides.
  const recent = [...state.recent.filter((mark) => countsFrom(mark) + window.ms > at), { seq, sentAt: at, answeredAt: null }];
  return { seq, state: { ...state, tokens: tokensAt(state, at, policy) - 1, tokensAt: at, recent, sent: seq } };
}

/** Records that message `seq` was answered, or failed, at `at`: it reached the provider no later, if at all. Pure. */
export function recordAnswer(state: PacerState, seq: number, at: number): PacerState {
  if (!state.recent.some((mark) => mark.seq === seq && mark.answeredAt === null)) return state;
  return { ...state, recent: state.recent.map((mark) => (mark.seq === seq ? { ...mark, answeredAt: at } : mark)) };
}

/**
 * After a throttle (429, 130429): pause every send for the Retry-After asked for, or for a wait that doubles with
 * each throttle in a row, both capped. Pure.
 */
export function afterThrottle(state: PacerState, now: number, retryAfterMs: number | null, policy: PacingPolicy): { delayMs: number; state: PacerState } {
  const backoff = policy.throttleBaseMs * 2 ** Math.min(state.throttlesInARow, 16);
  const delayMs = Math.min(retryAfterMs ?? backoff, policy.throttleMaxMs);
  return { delayMs, state: { ...state, pausedUntil: Math.max(state.pausedUntil, now + delayMs), throttlesInARow: state.throttlesInARow + 1 } };
}

/** After an answer that was not a throttle: the doubling starts again. Pure. */
export function afterAnswer(state: PacerState): PacerState {
  return state.throttlesInARow === 0 ? state : { ...state, throttlesInARow: 0 };
}

/** When a recipient refused for the pair rate may be tried again, or null when its tries are used up. Pure. */
export function pairRetryAt(attempt: number, now: number, policy: PacingPolicy): number | null {
  if (attempt >= policy.pairAttempts) return null;
  return now + policy.pairDelayMs * 2 ** (attempt - 1);
}
