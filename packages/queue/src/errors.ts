/**
 * A bad option of the queue, found before anything was sent to Redis or the bucket. `option` names it
 * (`redis`, `concurrency`, `store.bucket`...), so a CLI can point at the flag.
 */
export class QueueOptionError extends TypeError {
  override readonly name = 'QueueOptionError';
  readonly code = 'invalid-option';

  constructor(
    readonly option: string,
    message: string,
  ) {
    super(message);
  }
}
