import type { FileBrand } from './media-facts.js';

/** Top-level box types that can open an ISO-BMFF file (QuickTime files may start without ftyp). */
const OPENING_BOXES = new Set(['ftyp', 'styp', 'moov', 'mdat', 'free', 'skip', 'wide', 'pnot', 'uuid', 'sidx']);

/** Brands of still-image formats built on ISO-BMFF (HEIF, AVIF, JPEG 2000...): not video. */
const IMAGE_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'mif1', 'msf1', 'avif', 'avis', 'jp2 ', 'jpx ', 'crx ']);

/** True when the first bytes look like an ISO-BMFF box, whatever the file's name says. */
export function looksLikeIsoBmff(head: Uint8Array): boolean {
  if (head.length < 8) return false;
  const type = String.fromCharCode(...head.subarray(4, 8));
  const size = new DataView(head.buffer, head.byteOffset, 8).getUint32(0);
  return OPENING_BOXES.has(type) && (size === 0 || size === 1 || size >= 8);
}

export function isImageBrand(brand: FileBrand | null): boolean {
  return brand !== null && IMAGE_BRANDS.has(brand.major);
}

/** `3gp`, `mov`, `m4a` or `mp4`, from the ftyp brand; no ftyp means an old QuickTime file. */
export function containerFromBrand(brand: FileBrand | null): string {
  if (!brand) return 'mov';
  const major = brand.major;
  if (major.startsWith('3gp') || major.startsWith('3g2')) return '3gp';
  if (major === 'qt  ') return 'mov';
  if (major === 'M4A ' || major === 'M4B ' || major === 'M4P ') return 'm4a';
  return 'mp4';
}

const FORMAT_NAMES: Record<string, string> = {
  avi: 'avi', flv: 'flv', mpegts: 'ts', mpeg: 'mpeg', asf: 'asf', ogg: 'ogg', mp3: 'mp3', wav: 'wav', h264: 'h264',
  hevc: 'hevc', matroska: 'mkv', webm: 'webm', gif: 'gif', m4v: 'm4v', flac: 'flac', aac: 'aac', mov: 'mov',
};

/** A short container name from ffprobe's format name (`matroska,webm`), using the sniffed type to tell mkv from webm. */
export function containerFromFormatName(formatName: string | null, detectedExt: string | null): string | null {
  if (!formatName) return detectedExt;
  if (formatName.startsWith('matroska')) return detectedExt === 'webm' ? 'webm' : 'mkv';
  const first = formatName.split(',')[0] ?? formatName;
  return FORMAT_NAMES[first] ?? first;
}
