import { readBoxHeader } from './box-header.js';

/**
 * Checks a `dinf` box the way a demuxer reads it: its `dref` lists at least one entry, and every entry
 * it claims fits inside it. Read here, not by the box parser, because nothing else in it is needed.
 */
export function checkDataInformation(dinf: Uint8Array): string | null {
  const dref = childBox(dinf, 'dref');
  if (!dref) return "its data information has no 'dref' box";
  if (dref.length < 16) return "its 'dref' box is too short";
  const view = new DataView(dref.buffer, dref.byteOffset, dref.byteLength);
  const count = view.getUint32(12);
  if (count === 0) return "its 'dref' box lists no data reference";
  let at = 16;
  for (let i = 0; i < count; i++) {
    if (at + 12 > dref.length) return `its 'dref' box claims ${count} data references but holds ${i}`;
    const size = view.getUint32(at);
    if (size < 12 || at + size > dref.length) return "a data reference in its 'dref' box has a wrong size";
    at += size;
  }
  return null;
}

/**
 * The media time the track's first edit starts at, from an `edts` box (-1 for an empty edit, null
 * without an edit list), or a message when the edit list is damaged.
 */
export function firstEditMediaTime(edts: Uint8Array): number | null | string {
  const elst = childBox(edts, 'elst');
  if (!elst) return null;
  if (elst.length < 16) return "its 'elst' box is too short";
  const view = new DataView(elst.buffer, elst.byteOffset, elst.byteLength);
  const version = view.getUint8(8);
  const count = view.getUint32(12);
  const entryBytes = version === 1 ? 20 : 12;
  if (count * entryBytes > elst.length - 16) return `its 'elst' box claims ${count} edits but holds room for ${Math.floor((elst.length - 16) / entryBytes)}`;
  for (let i = 0; i < count; i++) {
    const at = 16 + i * entryBytes;
    const mediaTime = version === 1 ? Number(view.getBigInt64(at + 8)) : view.getInt32(at + 4);
    if (mediaTime !== -1) return mediaTime;
  }
  return count > 0 ? -1 : null;
}

function childBox(parent: Uint8Array, type: string): Uint8Array | null {
  const outer = readBoxHeader(parent, { offset: 0, end: parent.length, topLevel: true });
  if (!outer.ok) return null;
  for (let at = outer.header.headerSize, visited = 0; at + 8 <= outer.header.size && visited < 64; visited++) {
    const result = readBoxHeader(parent, { offset: at, end: outer.header.size });
    if (!result.ok) return null;
    if (result.header.type === type) return parent.subarray(at, at + result.header.size);
    at += result.header.size;
  }
  return null;
}
