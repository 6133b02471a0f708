/** What to do about a failed attempt: try again later, give up (the same input meets it again), or nothing (cancelled). */
export type FailureClass = 'retry' | 'give-up' | 'cancelled';

/** Codes the same bytes under the same rules meet again, whoever tries. */
const FINAL_CODES = new Set([
  'unreadable', 'no-video', 'cannot-fit', 'not-compliant', 'invalid-option', 'missing-credential', 'unauthorized', 'rejected', 'input-mismatch',
]);

/** S3 answers that say the credentials are refused: another attempt with them fails the same way. */
const REFUSED_CREDENTIAL = new Set(['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'AccessDenied', 'CredentialsProviderError', 'ExpiredToken']);

function codeOf(error: unknown): string | null {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : null;
}

/** The stages' typed errors decide by their `code`; a store refusal by the S3 error it wraps; anything else is retried. */
export function classifyFailure(error: unknown, signal?: AbortSignal): FailureClass {
  if (signal?.aborted) return 'cancelled';
  const code = codeOf(error);
  if (code === 'aborted') return 'cancelled';
  if (code !== null && FINAL_CODES.has(code)) return 'give-up';
  if (code === 'store-failed' && error instanceof Error && error.cause instanceof Error && REFUSED_CREDENTIAL.has(error.cause.name)) return 'give-up';
  return 'retry';
}

/** The failure as the manifest keeps it: the error's stable code (`internal` for untyped errors) and its message. */
export function failureRecord(error: unknown): { code: string; message: string } {
  return { code: codeOf(error) ?? 'internal', message: error instanceof Error ? error.message : String(error) };
}
