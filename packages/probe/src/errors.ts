import type { Recovery } from '@wavid/foundation';

/** Stable codes for the failures of `probe` itself (not of the file: those are facts). */
export type ProbeErrorCode = 'not-found' | 'not-a-file' | 'read-failed' | 'ffprobe-failed';

/** Thrown when the probe cannot do its work at all: the path is missing, unreadable, or ffprobe will not run. */
export class ProbeError extends Error {
  override readonly name = 'ProbeError';

  constructor(
    readonly code: ProbeErrorCode,
    message: string,
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** A file that is missing, not a file or not media stays so; a failed read may pass. */
  get recovery(): Recovery {
    return this.code === 'read-failed' ? 'retry' : 'give-up';
  }
}
