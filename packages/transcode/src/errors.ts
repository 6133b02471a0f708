import type { Recovery } from '@wavid/foundation';

/** Stable codes for why a video could not be made compliant. Reports and callers branch on them. */
export type TranscodeErrorCode =
  /** The input cannot be read as media. */
  | 'unreadable'
  /** The input has no video track to send. */
  | 'no-video'
  /** Even the smallest sensible encode would be over the size cap. */
  | 'cannot-fit'
  /** ffmpeg failed, or what it wrote does not comply. */
  | 'encode-failed'
  /** ffmpeg ran longer than allowed and was stopped. */
  | 'timeout'
  /** The caller cancelled through the signal. */
  | 'aborted'
  /** The input or output path cannot be used (missing input, output equals input, a full disk or failed rename while writing...). */
  | 'io';

/** Failures the same input under the same settings meets again: working on it again is wasted. */
const LASTING: ReadonlySet<TranscodeErrorCode> = new Set(['unreadable', 'no-video', 'cannot-fit']);

/** The recovery of a transcode failure, by its code (also for codes read back from a manifest). */
export function transcodeRecovery(code: TranscodeErrorCode | (string & {})): Recovery {
  if (code === 'aborted') return 'cancelled';
  return (LASTING as ReadonlySet<string>).has(code) ? 'give-up' : 'retry';
}

export interface TranscodeErrorDetails {
  /** The input the error is about. */
  input?: string | undefined;
  /** ffmpeg's exit code, when ffmpeg ran and exited. */
  exitCode?: number | null | undefined;
  /** The signal that ended ffmpeg, when it was killed. */
  signal?: NodeJS.Signals | null | undefined;
  /** The last lines ffmpeg wrote to stderr. */
  stderr?: string | undefined;
  /** For `cannot-fit`: the longest clip, in seconds, that fits the cap at the lowest quality allowed. */
  maxDurationSeconds?: number | undefined;
  cause?: unknown;
}

/** The one error class of this package: a stable `code` and typed fields, never a message to parse. */
export class TranscodeError extends Error {
  override readonly name = 'TranscodeError';
  readonly input: string | undefined;
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
  readonly maxDurationSeconds: number | undefined;

  constructor(
    readonly code: TranscodeErrorCode,
    message: string,
    details: TranscodeErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.input = details.input;
    this.exitCode = details.exitCode ?? null;
    this.signal = details.signal ?? null;
    this.stderr = details.stderr ?? '';
    this.maxDurationSeconds = details.maxDurationSeconds;
  }

  get recovery(): Recovery {
    return transcodeRecovery(this.code);
  }

  get timedOut(): boolean {
    return this.code === 'timeout';
  }

  get isCanceled(): boolean {
    return this.code === 'aborted';
  }
}
