import type { ClassifiedError, Recovery } from '@wavid/foundation';

/** How a queued video ended when it did not complete: `final` when trying again cannot help. */
export class QueuedJobError extends Error implements ClassifiedError {
  override readonly name = 'QueuedJobError';

  constructor(
    /** The stage's own code (`unreadable`, `cannot-fit`, `store-failed`...), or `failed` when the worker left none. */
    readonly code: string,
    message: string,
    readonly jobId: string,
    /** True for failures the same input meets again (unreadable, cannot-fit, a refused credential). */
    readonly final: boolean,
  ) {
    super(message);
  }

  /** A final failure is given up on; one that ran out of attempts may pass on a later run. */
  get recovery(): Recovery {
    return this.final ? 'give-up' : 'retry';
  }
}
