// Writes MP4 files whose headers lie: counts and sizes far beyond the file. A reader that trusts
// them loops for hours or allocates gigabytes; wavid must answer each with a clear verdict.
import { readFileSync, writeFileSync } from 'node:fs';
import { ilocBox, insertBox, keysBox, sgpdBox } from './box-edit.mjs';

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
