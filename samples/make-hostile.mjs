// Writes MP4 files whose headers lie: counts and sizes far beyond the file. A reader that trusts
// them loops for hours or allocates gigabytes; wavid must answer each with a clear verdict.
import { readFileSync, writeFileSync } from 'node:fs';

const source = readFileSync(new URL('./compliant.mp4', import.meta.url));

function patched(name, edit) {
  const copy = Buffer.from(source);
  edit(copy);
  writeFileSync(new URL(name, import.meta.url), copy);
}

function boxAt(buffer, type) {
  const at = buffer.indexOf(Buffer.from(type, 'latin1'));
  if (at < 4) throw new Error(`no '${type}' box in the source sample`);
  return at - 4;
}

// stsz with one constant sample size and four billion samples.
patched('bad-hostile-sample-count.mp4', (buffer) => {
  const stsz = boxAt(buffer, 'stsz');
  buffer.writeUInt32BE(1, stsz + 12);
  buffer.writeUInt32BE(0xfffffff0, stsz + 16);
});

// stts claiming four billion entries in a box of a few bytes.
patched('bad-hostile-entry-count.mp4', (buffer) => {
  const stts = boxAt(buffer, 'stts');
  buffer.writeUInt32BE(0xffffffff, stts + 12);
});

// The moov box claims 4 GB in a file of a few KB.
patched('bad-hostile-box-size.mp4', (buffer) => {
  const moov = boxAt(buffer, 'moov');
  buffer.writeUInt32BE(0xffffffff, moov);
});

// A 64-bit box size of 2^62 bytes.
const ftypSize = source.readUInt32BE(0);
const huge = Buffer.alloc(16);
huge.writeUInt32BE(1, 0);
huge.write('mdat', 4, 'latin1');
huge.writeUInt32BE(0x40000000, 8);
writeFileSync(new URL('bad-hostile-64bit-size.mp4', import.meta.url), Buffer.concat([source.subarray(0, ftypSize), huge, Buffer.alloc(1000)]));

// The avcC claims an SPS of 65535 bytes.
patched('bad-hostile-sps-length.mp4', (buffer) => {
  const avcC = boxAt(buffer, 'avcC');
  buffer.writeUInt16BE(0xffff, avcC + 14);
});

// The esds descriptor claims a size of 2^28 bytes.
patched('bad-hostile-descriptor-size.mp4', (buffer) => {
  const esds = boxAt(buffer, 'esds');
  buffer.set([0x03, 0xff, 0xff, 0xff, 0x7f], esds + 12);
});

// A box inside the moov with size 0, which only a top-level box may have: it would swallow its siblings.
patched('bad-nested-size-zero.mp4', (buffer) => {
  const trak = boxAt(buffer, 'trak');
  buffer.writeUInt32BE(0, trak);
});

// Only the ftyp and moov of a fragmented file: an init segment, or a recording that stopped before its
// first fragment. Its tracks have no frames.
const fragmented = readFileSync(new URL('./warn-fragmented.mp4', import.meta.url));
const moovEnd = (() => {
  let offset = 0;
  while (offset < fragmented.length) {
    const size = fragmented.readUInt32BE(offset);
    const type = fragmented.toString('latin1', offset + 4, offset + 8);
    offset += size;
    if (type === 'moov') return offset;
  }
  throw new Error('no moov in warn-fragmented.mp4');
})();
writeFileSync(new URL('bad-init-segment-only.mp4', import.meta.url), fragmented.subarray(0, moovEnd));

// Boxes inserted where a reader that hands everything to a box parser falls over: wavid must skip them
// by their headers. The file keeps playing, so the verdict stays what the source's was.
const CONTAINERS = new Set(['moov', 'trak', 'mdia', 'minf', 'stbl', 'dinf', 'mvex', 'moof', 'traf', 'edts']);

/** Offsets of the boxes along `types` (each the first of its type inside the one before). */
export function boxPath(buffer, types) {
  const chain = [];
  let start = 0;
  let end = buffer.length;
  for (const type of types) {
    let at = start;
    while (at + 8 <= end && buffer.toString('latin1', at + 4, at + 8) !== type) at += buffer.readUInt32BE(at) || end;
    if (at + 8 > end) throw new Error(`no '${types.join('/')}' box`);
    chain.push(at);
    start = at + 8;
    end = at + buffer.readUInt32BE(at);
  }
  return chain;
}

/** Every box of the tree, walking the usual containers. */
export function* walkBoxes(buffer, start = 0, end = buffer.length) {
  for (let at = start; at + 8 <= end; ) {
    const size = buffer.readUInt32BE(at);
    const type = buffer.toString('latin1', at + 4, at + 8);
    if (size < 8 || at + size > end) return;
    yield { type, offset: at, size };
    if (CONTAINERS.has(type)) yield* walkBoxes(buffer, at + 8, at + size);
    at += size;
  }
}

/**
 * Inserts `box` as the last child of the box at `types`, growing its ancestors, and moves chunk
 * offsets and the moof's run data offsets so every sample is still where the index says.
 */
export function insertBox(source, types, box) {
  const chain = boxPath(source, types);
  const parent = chain.at(-1);
  const at = parent + source.readUInt32BE(parent);
  const out = Buffer.concat([source.subarray(0, at), box, source.subarray(at)]);
  for (const offset of chain) out.writeUInt32BE(out.readUInt32BE(offset) + box.length, offset);
  for (const found of walkBoxes(out)) {
    if (found.type === 'stco' || found.type === 'co64') {
      const wide = found.type === 'co64';
      const count = out.readUInt32BE(found.offset + 12);
      for (let i = 0; i < count; i++) {
        const entry = found.offset + 16 + i * (wide ? 8 : 4);
        if (entry + (wide ? 8 : 4) > found.offset + found.size) break;
        if (wide) out.writeBigUInt64BE(out.readBigUInt64BE(entry) + (out.readBigUInt64BE(entry) >= BigInt(at) ? BigInt(box.length) : 0n), entry);
        else if (out.readUInt32BE(entry) >= at) out.writeUInt32BE(out.readUInt32BE(entry) + box.length, entry);
      }
    }
    if (found.type === 'trun' && types[0] === 'moof' && found.offset > chain[0] && found.offset < chain[0] + out.readUInt32BE(chain[0])) {
      if (out.readUInt32BE(found.offset + 8) & 1) out.writeInt32BE(out.readInt32BE(found.offset + 16) + box.length, found.offset + 16);
    }
  }
  return out;
}

export function makeBox(type, payload) {
  const box = Buffer.alloc(8 + payload.length);
  box.writeUInt32BE(box.length, 0);
  box.write(type, 4, 'latin1');
  Buffer.from(payload).copy(box, 8);
  return box;
}

/** A keys box (QuickTime metadata) claiming four billion keys of 4 bytes: 21 bytes in all. */
export const keysBox = makeBox('keys', [0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 4, 0]);
/** A 20-byte sgpd: version 0, a grouping type nobody knows, entry count 0xFFFFFFFF. */
export const sgpdBox = makeBox('sgpd', [0, 0, 0, 0, 0x7a, 0x7a, 0x7a, 0x7a, 0xff, 0xff, 0xff, 0xff]);
/** An 8 KB iloc whose counts are all 0xFF. */
export const ilocBox = makeBox('iloc', Buffer.alloc(8192 - 8, 0xff).fill(0, 0, 4));

const write = (name, bytes) => writeFileSync(new URL(name, import.meta.url), bytes);
const bFrames = readFileSync(new URL('./violation-b-frames.mp4', import.meta.url));

write('hostile-keys-in-stbl.mp4', insertBox(source, ['moov', 'trak', 'mdia', 'minf', 'stbl'], keysBox));
write('hostile-keys-in-moov.mp4', insertBox(source, ['moov'], keysBox));
write('hostile-iloc-in-moov.mp4', insertBox(source, ['moov'], ilocBox));
write('hostile-sgpd-in-traf.mp4', insertBox(fragmented, ['moof', 'traf'], sgpdBox));
write('hostile-keys-in-traf.mp4', insertBox(fragmented, ['moof', 'traf'], keysBox));

// The ctts of a file with B-frames emptied (entry count 0): the samples still show the B-frames.
{
  const copy = Buffer.from(bFrames);
  copy.writeUInt32BE(0, boxAt(copy, 'ctts') + 12);
  write('bad-hostile-ctts-emptied.mp4', copy);
}

// The first chunk offset points into the moov: the index misses the media data.
patched('bad-hostile-chunk-offset.mp4', (buffer) => {
  buffer.writeUInt32BE(64, boxAt(buffer, 'stco') + 16);
});

// avcC with a 3-byte NAL length size, which no decoder accepts.
patched('bad-hostile-avcc-length-size.mp4', (buffer) => {
  const avcC = boxAt(buffer, 'avcC');
  buffer[avcC + 12] = (buffer[avcC + 12] & 0xfc) | 2;
});

// The first video sample's first NAL unit has its forbidden bit set and a reserved type.
patched('bad-hostile-first-nal.mp4', (buffer) => {
  const stco = boxAt(buffer, 'stco');
  const first = buffer.readUInt32BE(stco + 16);
  buffer[first + 4] = 0x80 | 30;
});
