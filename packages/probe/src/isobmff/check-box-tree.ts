import { readBoxHeader } from './box-header.js';

/** Boxes whose payload is a list of child boxes, as far as the probe needs to look. */
const CONTAINERS = new Set(['moov', 'trak', 'mdia', 'minf', 'stbl', 'edts', 'mvex', 'moof', 'traf', 'dinf']);

/** Per-entry byte sizes of the tables mp4box expands, keyed by box type and version. */
function tableEntryBytes(type: string, version: number): number | null {
  switch (type) {
    case 'stts':
    case 'ctts':
      return 8;
    case 'stsc':
      return 12;
    case 'stco':
    case 'stss':
      return 4;
    case 'co64':
      return 8;
    case 'elst':
      return version === 1 ? 20 : 12;
    default:
      return null;
  }
}

const TRUN_FIELD_FLAGS = [0x100, 0x200, 0x400, 0x800];

/**
 * Checks that a moov or moof held in memory is safe to hand to the box parser: every child box fits its
 * parent, and no table claims more entries than its bytes hold. A hostile count would otherwise make
 * the parser loop or allocate for billions of entries. Returns what is wrong, or null.
 */
export function findBoxTreeProblem(bytes: Uint8Array, fileSize: number): string | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

  function checkChildren(start: number, end: number, depth: number): string | null {
    if (depth > 16) return 'boxes are nested deeper than any real file';
    let offset = start;
    while (offset + 8 <= end) {
      const result = readBoxHeader(bytes, { offset, end });
      if (!result.ok) return result.message;
      const { type, size, headerSize } = result.header;
      const payload = offset + headerSize;
      const payloadBytes = size - headerSize;
      if (CONTAINERS.has(type)) {
        const problem = checkChildren(payload, offset + size, depth + 1);
        if (problem) return problem;
      } else if (payloadBytes >= 8) {
        const problem = checkTable(type, payload, payloadBytes);
        if (problem) return problem;
      }
      offset += size;
    }
    return null;
  }

  function checkTable(type: string, payload: number, payloadBytes: number): string | null {
    const version = view.getUint8(payload);
    const flags = view.getUint32(payload) & 0xffffff;
    const entryBytes = tableEntryBytes(type, version);
    if (entryBytes !== null) {
      const count = view.getUint32(payload + 4);
      if (count * entryBytes > payloadBytes - 8) return `'${type}' claims ${count} entries but holds room for ${Math.floor((payloadBytes - 8) / entryBytes)}`;
      return null;
    }
    if (type === 'stsz' && payloadBytes >= 12) {
      const sampleSize = view.getUint32(payload + 4);
      const count = view.getUint32(payload + 8);
      if (sampleSize === 0 && count * 4 > payloadBytes - 12) return `'stsz' claims ${count} sample sizes but holds room for ${Math.floor((payloadBytes - 12) / 4)}`;
      if (sampleSize !== 0 && sampleSize * count > fileSize) return `'stsz' claims ${count} samples of ${sampleSize} bytes, more than the whole file`;
      return null;
    }
    if (type === 'trun') {
      const count = view.getUint32(payload + 4);
      const perSample = TRUN_FIELD_FLAGS.filter((bit) => (flags & bit) !== 0).length * 4;
      if (perSample > 0 && count * perSample > payloadBytes) return `'trun' claims ${count} samples but holds room for fewer`;
      if (perSample === 0 && count > fileSize) return `'trun' claims ${count} samples, more than the file could hold`;
    }
    return null;
  }

  const root = readBoxHeader(bytes, { offset: 0, end: bytes.length, topLevel: true });
  if (!root.ok) return root.message;
  return checkChildren(root.header.headerSize, root.header.size, 0);
}
