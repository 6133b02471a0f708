import type { MediaFacts } from './media-facts.js';

type DetectedType = NonNullable<MediaFacts['detected']>;

/**
 * Major brands whose type is not plain MP4, as file-type names them; any other brand is `mp4`. Kept equal to
 * file-type's answers by `sniff-file-type.test.ts`, which asks file-type about each.
 */
const BRAND_TYPES: Readonly<Record<string, DetectedType>> = {
  avif: { ext: 'avif', mime: 'image/avif' },
  avis: { ext: 'avif', mime: 'image/avif' },
  mif1: { ext: 'heic', mime: 'image/heif' },
  msf1: { ext: 'heic', mime: 'image/heif-sequence' },
  heic: { ext: 'heic', mime: 'image/heic' },
  heix: { ext: 'heic', mime: 'image/heic' },
  hevc: { ext: 'heic', mime: 'image/heic-sequence' },
  hevx: { ext: 'heic', mime: 'image/heic-sequence' },
  qt: { ext: 'mov', mime: 'video/quicktime' },
  M4V: { ext: 'm4v', mime: 'video/x-m4v' },
  M4VH: { ext: 'm4v', mime: 'video/x-m4v' },
  M4VP: { ext: 'm4v', mime: 'video/x-m4v' },
  M4P: { ext: 'm4p', mime: 'video/mp4' },
  M4B: { ext: 'm4b', mime: 'audio/mp4' },
  M4A: { ext: 'm4a', mime: 'audio/x-m4a' },
  F4V: { ext: 'f4v', mime: 'video/mp4' },
  F4P: { ext: 'f4p', mime: 'video/mp4' },
  F4A: { ext: 'f4a', mime: 'audio/mp4' },
  F4B: { ext: 'f4b', mime: 'audio/mp4' },
  crx: { ext: 'cr3', mime: 'image/x-canon-cr3' },
};

/**
 * The type of a file that opens with an ftyp box (MP4, MOV, 3GP and the other ISO-BMFF brands), read from
 * its major brand; null for anything else. Only a box under 256 bytes is taken: its first three bytes are
 * then zero, which none of the signatures file-type tries before ftyp matches, so the answer is file-type's.
 */
export function sniffFtyp(head: Uint8Array): DetectedType | null {
  if (head.length < 12 || head[0] !== 0 || head[1] !== 0 || head[2] !== 0) return null;
  if (String.fromCharCode(...head.subarray(4, 8)) !== 'ftyp') return null;
  // A major brand starts with a printable character.
  if (((head[8] ?? 0) & 0x60) === 0) return null;
  const major = String.fromCharCode(...head.subarray(8, 12)).replace('\0', ' ').trim();
  const known = BRAND_TYPES[major];
  if (known) return known;
  if (major.startsWith('3g2')) return { ext: '3g2', mime: 'video/3gpp2' };
  if (major.startsWith('3g')) return { ext: '3gp', mime: 'video/3gpp' };
  return { ext: 'mp4', mime: 'video/mp4' };
}

/**
 * What a file's first bytes say it is. The common case, an ftyp box, is read here; anything else asks
 * file-type, which is imported only then because loading it costs more than a whole check of one MP4.
 */
export async function sniffFileType(head: Uint8Array): Promise<DetectedType | null> {
  const ftyp = sniffFtyp(head);
  if (ftyp) return ftyp;
  const { fileTypeFromBuffer } = await import('file-type');
  const detected = await fileTypeFromBuffer(head).catch(() => undefined);
  return detected ? { ext: detected.ext, mime: detected.mime } : null;
}
