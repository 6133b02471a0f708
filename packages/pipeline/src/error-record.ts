/** A failure as reports and the manifest keep it: the error's stable code and its message. */
export interface ErrorRecord {
  code: string;
  message: string;
}

/** Typed errors of every stage carry a string `code`; anything else is an internal error. */
export function errorRecord(error: unknown): ErrorRecord {
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : 'internal';
  return { code, message };
}
