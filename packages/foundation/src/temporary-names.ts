import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

/** What a temporary file becomes: a video or picture being written, or any other file being replaced. */
export type TemporaryKind = 'partial.mp4' | 'partial.jpg' | 'tmp';

/** The longest file name Linux, macOS and Windows file systems take, in bytes of UTF-8. */
const MAX_NAME_BYTES = 255;

/**
 * The temporary name a file is written under before it is renamed into place: hidden, beside the final
 * file (so the rename stays on one file system), unique per write: `.<name>.<8 hex>.<kind>`. A long name
 * is cut (at a character boundary) so the whole stays within 255 bytes; the random part keeps it unique.
 */
export function temporaryPathFor(path: string, kind: TemporaryKind): string {
  const suffix = `.${randomBytes(4).toString('hex')}.${kind}`;
  const kept = cutToBytes(basename(path), MAX_NAME_BYTES - 1 - Buffer.byteLength(suffix));
  return join(dirname(path), `.${kept}${suffix}`);
}

/** The longest start of `text` that is at most `max` bytes of UTF-8, never splitting a character. */
function cutToBytes(text: string, max: number): string {
  if (Buffer.byteLength(text) <= max) return text;
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    bytes += Buffer.byteLength(char);
    if (bytes > max) break;
    end += char.length;
  }
  return text.slice(0, end);
}

const LEFTOVER = /^\..+\.[0-9a-f]{8}\.(partial\.(mp4|jpg)|tmp)$/;

/** True for a file name that `temporaryPathFor` makes: what a killed write leaves behind. */
export function isTemporaryName(name: string): boolean {
  return LEFTOVER.test(name);
}

/**
 * True for a temporary name made for the file named `finalName` (see `temporaryPathFor`): what a killed
 * write of that very file left, also when its name was cut to fit.
 */
export function isTemporaryNameFor(name: string, finalName: string): boolean {
  if (!isTemporaryName(name)) return false;
  const kept = name.slice(1).replace(/\.[0-9a-f]{8}\.(partial\.(mp4|jpg)|tmp)$/, '');
  return kept.length > 0 && finalName.startsWith(kept) && (kept === finalName || Buffer.byteLength(name) >= MAX_NAME_BYTES - 3);
}
