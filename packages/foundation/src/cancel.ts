/** A cancel through an AbortSignal that was aborted without a reason of the caller's own. */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  readonly code = 'aborted';
  readonly recovery = 'cancelled';

  constructor(message = 'cancelled', options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The reason `AbortController.abort()` gives when it is called without one. */
function isDefaultReason(reason: unknown): boolean {
  return typeof DOMException !== 'undefined' && reason instanceof DOMException && reason.name === 'AbortError';
}

/**
 * How every wavid operation ends on a cancel: it rejects with the signal's reason when the caller gave
 * one as an Error (`controller.abort(error)`, `AbortSignal.timeout()`), and otherwise with a
 * CancelledError (code `aborted`, the reason as its cause).
 */
export function cancelError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error && !isDefaultReason(reason) ? reason : new CancelledError('cancelled', { cause: reason });
}

/** Throws the cancel error when the signal is aborted. */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw cancelError(signal);
}
