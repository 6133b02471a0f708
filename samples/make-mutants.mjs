// Deterministic mutants of the samples, as a fuzzer makes them: bytes flipped and words set to edge
// values inside the boxes wavid reads, hostile boxes inserted, files cut short. The same count and
// seed give the same files. Usage: node samples/make-mutants.mjs <out-dir> [count] [seed]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ilocBox, insertBox, keysBox, makeBox, sgpdBox, walkBoxes } from './box-edit.mjs';

const SOURCES = [
  'compliant.mp4', 'compliant-baseline.3gp', 'gstreamer-compliant.mp4', 'warn-fragmented.mp4',
  'gstreamer-fragmented.mp4', 'violation-b-frames.mp4', 'warn-rotated.mp4',
];
const EDGE_WORDS = [0, 1, 2, 0x7f, 0x80, 0xff, 0xffff, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];
const INSERTED = [keysBox, sgpdBox, ilocBox, makeBox('zzzz', [1, 2, 3]), makeBox('free', []), makeBox('udta', [0, 0, 0, 8, 0x6d, 0x65, 0x74, 0x61])];
const INSERT_INTO = [['moov'], ['moov', 'trak'], ['moov', 'trak', 'mdia', 'minf', 'stbl'], ['moov', 'trak', 'mdia', 'minf', 'dinf'], ['moof', 'traf']];

/** A small seeded generator (mulberry32): the same seed gives the same mutants on every machine. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The byte ranges a reader parses: every box of the moov and moof trees (not the media data). */
function headerRanges(bytes) {
  return [...walkBoxes(bytes)].filter((box) => box.type !== 'mdat' && box.type !== 'free').map((box) => [box.offset, box.offset + box.size]);
}

function mutate(source, next) {
  let bytes = Buffer.from(source);
  const pick = (list) => list[Math.floor(next() * list.length)];
  const edits = 1 + Math.floor(next() * 3);
  const done = [];
  for (let i = 0; i < edits; i++) {
    const ranges = headerRanges(bytes);
    const [start, end] = pick(ranges) ?? [0, bytes.length];
    const at = start + Math.floor(next() * Math.max(1, end - start));
    const kind = next();
    if (kind < 0.4) {
      bytes[at] ^= 1 << Math.floor(next() * 8);
      done.push(`flip@${at}`);
    } else if (kind < 0.7) {
      if (at + 4 <= bytes.length) bytes.writeUInt32BE(pick(EDGE_WORDS), at);
      done.push(`word@${at}`);
    } else if (kind < 0.85) {
      try {
        bytes = insertBox(bytes, pick(INSERT_INTO), pick(INSERTED));
        done.push('insert');
      } catch {
        done.push('insert-none');
      }
    } else if (kind < 0.93) {
      bytes[at] = Math.floor(next() * 256);
      done.push(`byte@${at}`);
    } else {
      bytes = bytes.subarray(0, Math.floor(next() * bytes.length));
      done.push('cut');
    }
  }
  return { bytes, edits: done };
}

/** `count` mutants of the samples, from `seed`: each `{ name, source, edits, bytes }`. */
export function makeMutants(count, seed = 1) {
  const next = random(seed);
  const sources = SOURCES.map((name) => ({ name, bytes: readFileSync(new URL(name, import.meta.url)) }));
  return Array.from({ length: count }, (_, index) => {
    const source = sources[index % sources.length];
    const { bytes, edits } = mutate(source.bytes, next);
    return { name: `mutant-${String(index).padStart(5, '0')}-${source.name.replace(/\.\w+$/, '')}.mp4`, source: source.name, edits, bytes };
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [out, count = '200', seed = '1'] = process.argv.slice(2);
  if (!out) throw new Error('usage: node samples/make-mutants.mjs <out-dir> [count] [seed]');
  mkdirSync(out, { recursive: true });
  for (const mutant of makeMutants(Number(count), Number(seed))) writeFileSync(join(out, mutant.name), mutant.bytes);
}
