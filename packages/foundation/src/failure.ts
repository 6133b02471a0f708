import { CancelledError } from './cancel.js';

/**
 * What to do after a failure, the same for every stage: `retry` (the same work may succeed later: a
 * timeout, a full disk, a store or provider that did not answer), `give-up` (the same input under the
 * same settings fails again: unreadable, cannot fit, refused as invalid), or `cancelled` (the caller
 * stopped it). A job queue maps them to "retry later", "unrecoverable" and "stopped" without reading
 * messages.
 */
export type Recovery = 'retry' | 'give-up' | 'cancelled';

export const RECOVERIES: readonly Recovery[] = ['retry', 'give-up', 'cancelled'];

/** Every typed error of wavid: a stable `code` and its recovery. */
export interface ClassifiedError extends Error {
  readonly code: string;
  readonly recovery: Recovery;
}

function isRecovery(value: unknown): value is Recovery {
  return typeof value === 'string' && (RECOVERIES as readonly string[]).includes(value);
}

/**
 * The recovery of any thrown value: `cancelled` when the caller's signal is aborted or the error is a
 * cancel, the error's own `recovery` when it has one, else `retry` (an unexpected error is not proof that
 * the input is bad).
 */
export function recoveryOf(error: unknown, signal?: AbortSignal): Recovery {
  if (signal?.aborted === true || error instanceof CancelledError) return 'cancelled';
  const recovery = typeof error === 'object' && error !== null && 'recovery' in error ? error.recovery : undefined;
  return isRecovery(recovery) ? recovery : 'retry';
}
