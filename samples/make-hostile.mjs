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
