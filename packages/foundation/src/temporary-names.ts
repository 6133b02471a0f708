import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

/** What a temporary file becomes: a video or picture being written, or any other file being replaced. */
export type TemporaryKind = 'partial.mp4' | 'partial.jpg' | 'tmp';

/**
 * The temporary name a file is written under before it is renamed into place: hidden, beside the final
 * file (so the rename stays on one file system), unique per write: `.<name>.<8 hex>.<kind>`.
 */
export function temporaryPathFor(path: string, kind: TemporaryKind): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.${kind}`);
}

const LEFTOVER = /^\..+\.[0-9a-f]{8}\.(partial\.(mp4|jpg)|tmp)$/;

/** True for a file name that `temporaryPathFor` makes: what a killed write leaves behind. */
export function isTemporaryName(name: string): boolean {
  return LEFTOVER.test(name);
}
