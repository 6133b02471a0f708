import { readBoxHeader } from './box-header.js';

/** Bytes between a sample entry's header and its child boxes (ISO 14496-12 12.1.3 and 12.2.3). */
const VISUAL_FIELDS = 78;
const AUDIO_FIELDS = 28;
/** QuickTime sound descriptions add fields after the first 28 bytes: 16 in version 1, 36 in version 2. */
const QUICKTIME_AUDIO_EXTRA = [0, 16, 36];

const VISUAL_ENTRIES = new Set([
  'avc1', 'avc2', 'avc3', 'avc4', 'hvc1', 'hev1', 'dvh1', 'dvhe', 'vp08', 'vp09', 'av01', 'mp4v', 's263', 'h263',
  'jpeg', 'mjpa', 'apch', 'apcn', 'apcs', 'apco', 'ap4h', 'encv',
]);
const AUDIO_ENTRIES = new Set([
  'mp4a', 'ac-3', 'ec-3', 'Opus', 'fLaC', 'alac', 'samr', 'sawb', '.mp3', 'lpcm', 'sowt', 'twos', 'ipcm', 'fpcm', 'ulaw', 'alaw', 'enca',
]);
/** The child boxes of a sample entry the probe reads; every other child is left out before parsing. */
const VISUAL_CHILDREN = new Set(['avcC', 'hvcC', 'pasp', 'colr']);
const AUDIO_CHILDREN = new Set(['esds']);

/**
 * Rebuilds an `stsd` box with only its first sample entry, and that entry with only the fields and
 * child boxes the probe reads: the box parser never sees a box the verdict does not need, however many
 * entries or children the file claims. A QuickTime sound description becomes a version 0 one with the
 * `esds` from its `wave` box. Returns null when the stsd holds no readable entry.
 */
export function pruneSampleDescription(stsd: Uint8Array): Uint8Array | null {
  const outer = readBoxHeader(stsd, { offset: 0, end: stsd.length, topLevel: true });
  if (!outer.ok || outer.header.type !== 'stsd') return null;
  const entryAt = outer.header.headerSize + 8;
  // Decoders refuse an stsd whose entry count its bytes cannot hold (at least 8 bytes an entry).
  const view = new DataView(stsd.buffer, stsd.byteOffset, stsd.byteLength);
  if (stsd.length < entryAt) return null;
  const count = view.getUint32(entryAt - 4);
  if (count === 0 || count > (outer.header.size - entryAt) / 8) return null;
  const entry = readBoxHeader(stsd, { offset: entryAt, end: outer.header.size });
  if (!entry.ok) return null;
  const { type, size } = entry.header;
  const entryBytes = stsd.subarray(entryAt, entryAt + size);
  let fields: Uint8Array;
  let children: Uint8Array[] = [];
  if (VISUAL_ENTRIES.has(type)) {
    if (size < 8 + VISUAL_FIELDS) return null;
    fields = entryBytes.subarray(8, 8 + VISUAL_FIELDS);
    children = keptChildren(entryBytes, 8 + VISUAL_FIELDS, VISUAL_CHILDREN);
  } else if (AUDIO_ENTRIES.has(type)) {
    if (size < 8 + AUDIO_FIELDS) return null;
    const version = (entryBytes[16] ?? 0) * 256 + (entryBytes[17] ?? 0);
    const extra = QUICKTIME_AUDIO_EXTRA[version] ?? 0;
    fields = Uint8Array.from(entryBytes.subarray(8, 8 + AUDIO_FIELDS));
    fields[8] = 0;
    fields[9] = 0;
    const start = 8 + AUDIO_FIELDS + extra;
    children = keptChildren(entryBytes, start, AUDIO_CHILDREN);
    if (children.length === 0) {
      const wave = firstChild(entryBytes, start, 'wave');
      if (wave) children = keptChildren(wave, 8, AUDIO_CHILDREN);
    }
  } else {
    // An entry the probe knows nothing of: its type names the codec; reserved bytes and the data reference index stay.
    fields = entryBytes.subarray(8, Math.min(size, 16));
  }
  const prunedEntry = box(type, [fields, ...children.slice(0, 4)]);
  const header = Uint8Array.from(stsd.subarray(outer.header.headerSize, entryAt));
  header.set([0, 0, 0, 1], 4);
  return box('stsd', [header, prunedEntry]);
}

function keptChildren(bytes: Uint8Array, start: number, kept: ReadonlySet<string>): Uint8Array[] {
  const children: Uint8Array[] = [];
  for (let at = start, visited = 0; at + 8 <= bytes.length && visited < 64; visited++) {
    const result = readBoxHeader(bytes, { offset: at, end: bytes.length });
    if (!result.ok) break;
    if (kept.has(result.header.type) && result.header.headerSize === 8) children.push(bytes.subarray(at, at + result.header.size));
    at += result.header.size;
  }
  return children;
}

function firstChild(bytes: Uint8Array, start: number, type: string): Uint8Array | undefined {
  for (let at = start, visited = 0; at + 8 <= bytes.length && visited < 64; visited++) {
    const result = readBoxHeader(bytes, { offset: at, end: bytes.length });
    if (!result.ok) return undefined;
    if (result.header.type === type) return bytes.subarray(at, at + result.header.size);
    at += result.header.size;
  }
  return undefined;
}

function box(type: string, parts: Uint8Array[]): Uint8Array {
  const size = 8 + parts.reduce((sum, part) => sum + part.length, 0);
  const bytes = Buffer.alloc(size);
  bytes.writeUInt32BE(size, 0);
  bytes.write(type, 4, 'latin1');
  let at = 8;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.length;
  }
  return bytes;
}
