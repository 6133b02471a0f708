// Writes samples with the box layouts real muxers produce and ffmpeg does not: Annex B samples, `co64`,
// boxes between moov and mdat, a 64-bit mdat header, a QuickTime file without ftyp, and the traits of
// GPAC's MP4Box and Android's MediaRecorder. Each starts as an ffmpeg-made MP4 whose boxes are rewritten
// here (MP4Box itself is not in Debian, so its layout is reproduced by hand). Run by make-samples.sh.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const FFMPEG = process.env.FFMPEG_PATH ?? require('@ffmpeg-installer/ffmpeg').path;
const here = new URL('.', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'wavid-layouts-'));

function ffmpeg(args) {
  execFileSync(FFMPEG, ['-hide_banner', '-loglevel', 'error', '-y', ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
}

/** Boxes whose payload is only child boxes. */
const CONTAINERS = new Set(['moov', 'trak', 'mdia', 'minf', 'stbl', 'edts', 'dinf', 'udta', 'mvex']);
/** Bytes before the first child box, counted from the start of the payload. */
const PREFIXED = { stsd: 8, avc1: 78, avc3: 78, mp4a: 28 };

/** A box as a tree: `prefix` holds the payload before the children (or all of it for a leaf). */
function parseBoxes(bytes, start, end) {
  const boxes = [];
  for (let at = start; at + 8 <= end; ) {
    let size = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    let header = 8;
    if (size === 1) {
      size = Number(bytes.readBigUInt64BE(at + 8));
      header = 16;
    } else if (size === 0) size = end - at;
    const payloadStart = at + header;
    const box = { type, large: header === 16 };
    const prefixLength = CONTAINERS.has(type) ? 0 : PREFIXED[type];
    if (prefixLength === undefined) box.prefix = bytes.subarray(payloadStart, at + size);
    else {
      box.prefix = bytes.subarray(payloadStart, payloadStart + prefixLength);
      box.children = parseBoxes(bytes, payloadStart + prefixLength, at + size);
    }
    boxes.push(box);
    at += size;
  }
  return boxes;
}

function serialise(boxes) {
  return Buffer.concat(boxes.map((box) => {
    const payload = Buffer.concat([box.prefix, ...(box.children ? [serialise(box.children)] : [])]);
    const header = Buffer.alloc(box.large ? 16 : 8);
    header.write(box.type, 4, 'latin1');
    if (box.large) {
      header.writeUInt32BE(1, 0);
      header.writeBigUInt64BE(BigInt(payload.length + 16), 8);
    } else header.writeUInt32BE(payload.length + 8, 0);
    return Buffer.concat([header, payload]);
  }));
}

const leaf = (type, payload) => ({ type, large: false, prefix: Buffer.from(payload) });
const find = (boxes, type) => boxes.find((box) => box.type === type);
const path = (box, ...types) => types.reduce((at, type) => at && find(at.children ?? [], type), box);
const traks = (file) => find(file, 'moov').children.filter((box) => box.type === 'trak');
const handler = (trak) => path(trak, 'mdia', 'hdlr').prefix.toString('latin1', 8, 12);

/** Chunk offsets of a track, from stco or co64. */
function chunkOffsets(trak) {
  const stbl = path(trak, 'mdia', 'minf', 'stbl');
  const stco = find(stbl.children, 'stco');
  const co64 = find(stbl.children, 'co64');
  const table = stco ?? co64;
  const count = table.prefix.readUInt32BE(4);
  return Array.from({ length: count }, (_, i) => (stco ? stco.prefix.readUInt32BE(8 + i * 4) : Number(co64.prefix.readBigUInt64BE(8 + i * 8))));
}

function setChunkOffsets(trak, offsets, wide) {
  const stbl = path(trak, 'mdia', 'minf', 'stbl');
  const index = stbl.children.findIndex((box) => box.type === 'stco' || box.type === 'co64');
  const prefix = Buffer.alloc(8 + offsets.length * (wide ? 8 : 4));
  prefix.writeUInt32BE(offsets.length, 4);
  offsets.forEach((offset, i) => (wide ? prefix.writeBigUInt64BE(BigInt(offset), 8 + i * 8) : prefix.writeUInt32BE(offset, 8 + i * 4)));
  stbl.children[index] = { type: wide ? 'co64' : 'stco', large: false, prefix };
}

/** Where the payload of the (only) mdat starts once the boxes are written out. */
function mdatPayloadOffset(file) {
  let at = 0;
  for (const box of file) {
    const size = serialise([box]).length;
    if (box.type === 'mdat') return at + (box.large ? 16 : 8);
    at += size;
  }
  throw new Error('no mdat');
}

/** Writes `file` after moving every chunk offset by as much as the mdat's payload moved. */
function write(name, file, originalMdatPayload, options = {}) {
  const wide = options.co64 ?? false;
  for (const trak of traks(file)) setChunkOffsets(trak, chunkOffsets(trak), wide);
  const delta = mdatPayloadOffset(file) - originalMdatPayload;
  for (const trak of traks(file)) setChunkOffsets(trak, chunkOffsets(trak).map((offset) => offset + delta), wide);
  writeFileSync(join(here, name), serialise(file));
}

function load(path) {
  const bytes = readFileSync(path);
  const file = parseBoxes(bytes, 0, bytes.length);
  return { file, mdatPayload: mdatPayloadOffset(file) };
}

/** Every video sample's offset and size, from the sample tables. */
function videoSamples(trak) {
  const stbl = path(trak, 'mdia', 'minf', 'stbl');
  const stsz = find(stbl.children, 'stsz').prefix;
  const stsc = find(stbl.children, 'stsc').prefix;
  const sizes = Array.from({ length: stsz.readUInt32BE(8) }, (_, i) => stsz.readUInt32BE(12 + i * 4));
  const runs = Array.from({ length: stsc.readUInt32BE(4) }, (_, i) => ({ first: stsc.readUInt32BE(8 + i * 12), perChunk: stsc.readUInt32BE(12 + i * 12) }));
  const samples = [];
  let sample = 0;
  chunkOffsets(trak).forEach((offset, chunk) => {
    const run = runs.filter((candidate) => candidate.first <= chunk + 1).at(-1);
    for (let i = 0; i < run.perChunk && sample < sizes.length; i++, sample++) {
      samples.push({ offset, size: sizes[sample] });
      offset += sizes[sample];
    }
  });
  return samples;
}

const tmp = (name) => join(work, name);
const SOURCE = ['-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25:duration=2', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100:duration=2'];
const MAIN = ['-c:v', 'libx264', '-profile:v', 'main', '-bf', '0', '-pix_fmt', 'yuv420p', '-b:v', '150k'];
const AAC = ['-c:a', 'aac', '-b:a', '48k'];
ffmpeg([...SOURCE, ...MAIN, ...AAC, '-movflags', '+faststart', tmp('faststart.mp4')]);
ffmpeg([...SOURCE, ...MAIN, ...AAC, tmp('moov-at-end.mp4')]);

/** Replaces the 4-byte NAL lengths of one sample with start codes, in place. */
function toStartCodes(bytes, offset, size) {
  for (let at = offset; at + 4 <= offset + size; ) {
    const length = bytes.readUInt32BE(at);
    bytes.writeUInt32BE(1, at);
    at += 4 + length;
  }
}

/** Puts the video track's SPS and PPS into its avcC as an Annex B byte stream. */
function annexBParameterSets(video) {
  const avc1 = path(video, 'mdia', 'minf', 'stbl', 'stsd', 'avc1');
  const avcC = find(avc1.children, 'avcC').prefix;
  const spsLength = avcC.readUInt16BE(6);
  const sps = avcC.subarray(8, 8 + spsLength);
  const pps = avcC.subarray(11 + spsLength, 11 + spsLength + avcC.readUInt16BE(9 + spsLength));
  const startCode = Buffer.from([0, 0, 0, 1]);
  avc1.children = avc1.children.map((box) => (box.type === 'avcC' ? leaf('avcC', Buffer.concat([startCode, sps, startCode, pps])) : box));
}

/** Offset and size of every sample of `trackId` in the movie fragments (tfhd's base must be the moof). */
function fragmentSamples(bytes, trackId) {
  const samples = [];
  for (let at = 0; at + 8 <= bytes.length; at += bytes.readUInt32BE(at)) {
    if (bytes.toString('latin1', at + 4, at + 8) !== 'moof') continue;
    for (const traf of parseBoxes(bytes, at + 8, at + bytes.readUInt32BE(at)).filter((box) => box.type === 'traf')) {
      const children = parseBoxes(traf.prefix, 0, traf.prefix.length);
      const tfhd = find(children, 'tfhd').prefix;
      const flags = tfhd.readUInt32BE(0) & 0xffffff;
      if (tfhd.readUInt32BE(4) !== trackId) continue;
      if (!(flags & 0x20000)) throw new Error('expected default-base-is-moof fragments');
      let field = 8 + (flags & 0x1 ? 8 : 0) + (flags & 0x2 ? 4 : 0) + (flags & 0x8 ? 4 : 0);
      const defaultSize = flags & 0x10 ? tfhd.readUInt32BE(field) : 0;
      for (const trun of children.filter((box) => box.type === 'trun').map((box) => box.prefix)) {
        const runFlags = trun.readUInt32BE(0) & 0xffffff;
        const count = trun.readUInt32BE(4);
        let position = at + (runFlags & 0x1 ? trun.readInt32BE(8) : 0);
        field = 8 + (runFlags & 0x1 ? 4 : 0) + (runFlags & 0x4 ? 4 : 0);
        for (let i = 0; i < count; i++) {
          if (runFlags & 0x100) field += 4;
          const size = runFlags & 0x200 ? trun.readUInt32BE(field) : defaultSize;
          if (runFlags & 0x200) field += 4;
          if (runFlags & 0x400) field += 4;
          if (runFlags & 0x800) field += 4;
          samples.push({ offset: position, size });
          position += size;
        }
      }
    }
  }
  return samples;
}

// Annex B: start codes instead of NAL lengths in every sample, and the parameter sets in avcC as a byte
// stream, as some encoders' muxers write them. ffmpeg reads and decodes it; a strict avcC parser does not.
{
  const bytes = readFileSync(tmp('faststart.mp4'));
  const { file, mdatPayload } = load(tmp('faststart.mp4'));
  const video = traks(file).find((trak) => handler(trak) === 'vide');
  for (const { offset, size } of videoSamples(video)) toStartCodes(bytes, offset, size);
  annexBParameterSets(video);
  const rewritten = parseBoxes(bytes, 0, bytes.length);
  find(rewritten, 'moov').children = find(file, 'moov').children;
  write('layout-annexb.mp4', rewritten, mdatPayload);
}

// The same in a fragmented file: the fragments' data offsets count from their moof, so the larger moov
// moves nothing they point at.
{
  ffmpeg([...SOURCE, ...MAIN, ...AAC, '-movflags', 'frag_keyframe+empty_moov+default_base_moof', '-frag_duration', '500000', tmp('fragmented.mp4')]);
  const bytes = readFileSync(tmp('fragmented.mp4'));
  const file = parseBoxes(bytes, 0, bytes.length);
  const video = traks(file).find((trak) => handler(trak) === 'vide');
  const tkhd = path(video, 'tkhd').prefix;
  const trackId = tkhd.readUInt32BE(tkhd[0] === 1 ? 20 : 12);
  for (const { offset, size } of fragmentSamples(bytes, trackId)) toStartCodes(bytes, offset, size);
  const rewritten = parseBoxes(bytes, 0, bytes.length);
  annexBParameterSets(traks(rewritten).find((trak) => handler(trak) === 'vide'));
  writeFileSync(join(here, 'layout-annexb-fragmented.mp4'), serialise(rewritten));
}

// 64-bit chunk offsets (co64), as muxers that do not know the final size in advance write them.
{
  const { file, mdatPayload } = load(tmp('faststart.mp4'));
  write('layout-co64.mp4', file, mdatPayload, { co64: true });
}

// Boxes between moov and mdat: QuickTime's wide, free and skip padding, and a vendor uuid box.
{
  const { file, mdatPayload } = load(tmp('faststart.mp4'));
  const uuid = leaf('uuid', Buffer.concat([Buffer.from('be7acfcb97a942e89c71999491e3afac', 'hex'), Buffer.from('<x:xmpmeta/>')]));
  const padding = [leaf('wide', []), leaf('free', Buffer.alloc(64)), leaf('skip', Buffer.alloc(32)), uuid];
  const rest = file.filter((box) => box.type !== 'free');
  const moovAt = rest.findIndex((box) => box.type === 'moov');
  write('layout-boxes-before-mdat.mp4', [...rest.slice(0, moovAt + 1), ...padding, ...rest.slice(moovAt + 1)], mdatPayload);
}

// The mdat's size in the 64-bit "largesize" form, moov first: valid, and the one thing wrong.
{
  const { file, mdatPayload } = load(tmp('faststart.mp4'));
  find(file, 'mdat').large = true;
  write('violation-mdat-64bit.mp4', file.filter((box) => box.type !== 'free'), mdatPayload);
}

// Android's MediaRecorder (MPEG4Writer): brand mp42, a 64-bit mdat header written before the size is
// known, and the moov at the end.
{
  const { file, mdatPayload } = load(tmp('moov-at-end.mp4'));
  const ftyp = leaf('ftyp', Buffer.concat([Buffer.from('mp42'), Buffer.alloc(4), Buffer.from('isommp42')]));
  find(file, 'mdat').large = true;
  write('android-mediarecorder.mp4', [ftyp, ...file.filter((box) => box.type !== 'ftyp' && box.type !== 'free')], mdatPayload);
}

// GPAC's MP4Box: brand isom with avc1 compatible, an initial object descriptor (iods) in the moov, and a
// free box naming the writer between moov and mdat.
{
  const { file, mdatPayload } = load(tmp('faststart.mp4'));
  const ftyp = leaf('ftyp', Buffer.concat([Buffer.from('isom'), Buffer.from([0, 0, 0, 1]), Buffer.from('isomavc1')]));
  const moov = find(file, 'moov');
  const iods = leaf('iods', Buffer.from([0, 0, 0, 0, 0x10, 0x07, 0x00, 0x4f, 0xff, 0xff, 0x29, 0x15, 0xff]));
  moov.children = [moov.children[0], iods, ...moov.children.slice(1).filter((box) => box.type !== 'udta')];
  const free = leaf('free', Buffer.from('IsoMedia File Produced with GPAC'));
  write('mp4box-layout.mp4', [ftyp, moov, free, find(file, 'mdat')], mdatPayload);
}

// An old QuickTime file: no ftyp at all, moov first.
{
  const { file, mdatPayload } = load(tmp('faststart.mp4'));
  write('quicktime-no-ftyp.mov', file.filter((box) => box.type !== 'ftyp' && box.type !== 'free'), mdatPayload);
}

rmSync(work, { recursive: true, force: true });
