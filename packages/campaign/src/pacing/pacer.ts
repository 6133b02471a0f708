/** Every default of the campaign's pacing, in one place. */
export interface PacingPolicy {
  /** Messages per second from one sending number. Meta's default tier allows 80. */
  ratePerSecond: number;
  /** First wait after a throttle without Retry-After; doubled on each throttle in a row. Default 1 s. */
  throttleBaseMs: number;
  /** Longest wait after a throttle, Retry-After included. Default 60 s. */
  throttleMaxMs: number;
  /** Wait before sending again to a recipient refused for the pair rate (131056); doubled each time. Default 6 s. */
  pairDelayMs: number;
  /** Tries for one recipient refused for the pair rate, after which it is failed. Default 3. */
  pairAttempts: number;
}

export const DEFAULT_PACING: PacingPolicy = { ratePerSecond: 80, throttleBaseMs: 1000, throttleMaxMs: 60_000, pairDelayMs: 6000, pairAttempts: 3 };

/** The pacer's memory: when the next slot is free, until when sending is paused, and throttles in a row. */
export interface PacerState {
  nextSlotAt: number;
  pausedUntil: number;
  throttlesInARow: number;
}

export const INITIAL_PACER: PacerState = { nextSlotAt: 0, pausedUntil: 0, throttlesInARow: 0 };

/** The time the next message may go out, and the state after taking that slot. Slots are 1/rate apart. Pure. */
export function takeSlot(state: PacerState, now: number, policy: PacingPolicy): { at: number; state: PacerState } {
  const at = Math.max(now, state.nextSlotAt, state.pausedUntil);
  return { at, state: { ...state, nextSlotAt: at + 1000 / policy.ratePerSecond } };
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
