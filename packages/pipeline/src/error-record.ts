import { recoveryOf, type Recovery } from '@wavid/foundation';
import { transcodeRecovery } from '@wavid/transcode';

/** A failure as reports and the manifest keep it: the error's stable code, its message and its recovery. */
export interface ErrorRecord {
  code: string;
  message: string;
  /** Missing only in manifests written before it was recorded. */
  recovery?: Recovery | undefined;
}

/** Typed errors of every stage carry a string `code` and a recovery; anything else is an internal error. */
export function errorRecord(error: unknown, signal?: AbortSignal): ErrorRecord {
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : 'internal';
  return { code, message, recovery: recoveryOf(error, signal) };
}

/** The recovery of a recorded failure; older records held only a code, which came from the fix. */
export function recordRecovery(record: ErrorRecord): Recovery {
  return record.recovery ?? transcodeRecovery(record.code);
}
