import type { SampleDescriptions } from '../media-facts.js';
import { readBoxHeader } from './box-header.js';

/**
 * How many entries an `stsd` box holds and whether each after the first repeats it byte for byte. The
 * probe reads its facts from the first entry only (see `pruneSampleDescription`), so they hold for every
 * sample only when the others are copies. Entries that cannot be walked count as different. Returns null
 * when the box holds no entry.
 */
export function readSampleDescriptions(stsd: Uint8Array): SampleDescriptions | null {
  const outer = readBoxHeader(stsd, { offset: 0, end: stsd.length, topLevel: true });
  if (!outer.ok || outer.header.type !== 'stsd') return null;
  const entryAt = outer.header.headerSize + 8;
  if (stsd.length < entryAt || outer.header.size > stsd.length) return null;
  const count = new DataView(stsd.buffer, stsd.byteOffset, stsd.byteLength).getUint32(entryAt - 4);
  if (count === 0) return null;
  const first = readBoxHeader(stsd, { offset: entryAt, end: outer.header.size });
  if (!first.ok) return null;
  const firstBytes = stsd.subarray(entryAt, entryAt + first.header.size);
  let copiesOfFirst = true;
  let at = entryAt + first.header.size;
  for (let index = 1; index < count && copiesOfFirst; index++) {
    const entry = readBoxHeader(stsd, { offset: at, end: outer.header.size });
    copiesOfFirst = entry.ok && sameBytes(stsd.subarray(at, at + entry.header.size), firstBytes);
    if (entry.ok) at += entry.header.size;
  }
  return { count, copiesOfFirst };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
}
