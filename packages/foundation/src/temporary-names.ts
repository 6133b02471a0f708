import { createHash, randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

/** What a temporary file becomes: a video or picture being written, or any other file being replaced. */
export type TemporaryKind = 'partial.mp4' | 'partial.jpg' | 'tmp';

/** The longest file name Linux, macOS and Windows file systems take, in bytes of UTF-8. */
const MAX_NAME_BYTES = 255;
/** Hex digits of the hash of the whole final name that a cut temporary name carries. */
const NAME_HASH_DIGITS = 16;

/**
 * The temporary name a file is written under before it is renamed into place: hidden, beside the final
 * file (so the rename stays on one file system), unique per write: `.<name>.<8 hex>.<kind>`. A name too long
 * for that is cut (at a character boundary) and followed by a hash of the whole name, `.<cut>.<16 hex>`, so
 * the whole stays within 255 bytes and two long names that differ only at the end keep apart.
 */
export function temporaryPathFor(path: string, kind: TemporaryKind): string {
  return join(dirname(path), `.${stemFor(basename(path), kind)}.${randomBytes(4).toString('hex')}.${kind}`);
}

/**
 * What stands for the final name in its temporary names. A whole name is at most `room` bytes and a cut one
 * longer (the hash adds more than a cut at a character boundary takes off), so neither is ever the other.
 */
function stemFor(finalName: string, kind: TemporaryKind): string {
  // The rest of a temporary name is `.`, `.<8 hex>.<kind>`, and for a cut name `.<hash>`.
  const room = MAX_NAME_BYTES - `..01234567.${kind}`.length - `.${'0'.repeat(NAME_HASH_DIGITS)}`.length;
  if (Buffer.byteLength(finalName) <= room) return finalName;
  const hash = createHash('sha256').update(finalName).digest('hex').slice(0, NAME_HASH_DIGITS);
  return `${cutToBytes(finalName, room)}.${hash}`;
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

const LEFTOVER = /^\.(.+)\.[0-9a-f]{8}\.(partial\.mp4|partial\.jpg|tmp)$/;

/** True for a file name that `temporaryPathFor` makes: what a killed write leaves behind. */
export function isTemporaryName(name: string): boolean {
  return LEFTOVER.test(name);
}

/**
 * True for a temporary name made for the file named `finalName` (see `temporaryPathFor`): what a killed
 * write of that very file left, also when its name was cut to fit, and never one made for another name.
 */
export function isTemporaryNameFor(name: string, finalName: string): boolean {
  const match = LEFTOVER.exec(name);
  return match !== null && match[1] === stemFor(finalName, match[2] as TemporaryKind);
}
