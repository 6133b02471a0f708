// Edits of ISO-BMFF files for the hostile samples and the mutants: boxes inserted where a reader
// must skip them, with every size and offset fixed so the file still plays.

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


const FIRST_STSD = ['moov', 'trak', 'mdia', 'minf', 'stbl', 'stsd'];

/**
 * The first track with its sample entry listed twice (stsd entry count 2) and every stsc run coded with
 * entry `index`. With `firstNalLengthBytes`, the first entry's avcC announces NAL lengths of that many
 * bytes, so the entries differ and only the second fits the samples.
 */
export function withTwoSampleEntries(source, { index, firstNalLengthBytes }) {
  const stsd = boxPath(source, FIRST_STSD).at(-1);
  const entry = Buffer.from(source.subarray(stsd + 16, stsd + 16 + source.readUInt32BE(stsd + 16)));
  const out = insertBox(source, FIRST_STSD, entry);
  const at = boxPath(out, FIRST_STSD).at(-1);
  out.writeUInt32BE(2, at + 12);
  if (firstNalLengthBytes !== undefined) {
    const avcC = out.indexOf('avcC', at + 16, 'latin1') - 4;
    out[avcC + 12] = (out[avcC + 12] & 0xfc) | (firstNalLengthBytes - 1);
  }
  const stsc = boxPath(out, [...FIRST_STSD.slice(0, -1), 'stsc']).at(-1);
  for (let run = 0; run < out.readUInt32BE(stsc + 12); run++) out.writeUInt32BE(index, stsc + 16 + run * 12 + 8);
  return out;
}
