import { throwIfCancelled } from '@wavid/foundation';
import type { ByteReader } from '../byte-reader.js';
import type { AudioTrackFacts, FileBrand, TopLevelBox, UnreadableProblem, VideoTrackFacts } from '../media-facts.js';
import { readBoxHeader } from './box-header.js';
import { findBoxTreeProblem } from './check-box-tree.js';
import { child, numberField, numberList, parseBox, type ParsedBox } from './parse-box.js';
import { MovieBoxError, readMovieBox } from './read-movie-box.js';
import { readTrackFacts, type FragmentTiming } from './track-facts.js';

/** What the ISO-BMFF reader learns; the probe adds the file-level facts around it. */
export interface IsoBmffFacts {
  brand: FileBrand | null;
  topLevelBoxes: TopLevelBox[];
  moovBeforeMdat: boolean | null;
  fragmented: boolean;
  durationSeconds: number | null;
  video: VideoTrackFacts[];
  audio: AudioTrackFacts[];
  problem: UnreadableProblem | null;
}

/** Limits that keep a hostile file from costing more than a real one. */
const MAX_TOP_LEVEL_BOXES = 100_000;
const MAX_MOOV_BYTES = 256 * 1024 * 1024;
const MAX_FRAGMENT_BYTES = 4 * 1024 * 1024;
const MAX_FRAGMENT_SAMPLES = 1_000_000;
const HEADER_READ = 32;

/**
 * Reads an ISO-BMFF file by seeking from box header to box header, then reading only the moov (and the
 * small moof boxes of a fragmented file). `head` holds the file's first bytes, already read.
 */
export async function readIsoBmff(reader: ByteReader, head: Buffer, signal?: AbortSignal): Promise<IsoBmffFacts> {
  const facts: IsoBmffFacts = {
    brand: null,
    topLevelBoxes: [],
    moovBeforeMdat: null,
    fragmented: false,
    durationSeconds: null,
    video: [],
    audio: [],
    problem: null,
  };
  facts.problem = await walkTopLevel(reader, head, facts.topLevelBoxes, signal);
  const boxes = facts.topLevelBoxes;
  const ftyp = boxes.find((box) => box.type === 'ftyp');
  if (ftyp) facts.brand = parseBrand(await readBytes(reader, head, ftyp.offset, Math.min(ftyp.size, 4096)));

  const moovIndex = boxes.findIndex((box) => box.type === 'moov');
  const mdatIndex = boxes.findIndex((box) => box.type === 'mdat');
  if (moovIndex >= 0 && mdatIndex >= 0) facts.moovBeforeMdat = moovIndex < mdatIndex;
  const moovBox = boxes[moovIndex];
  if (!moovBox) {
    facts.problem ??= { reason: 'corrupt', message: 'the file has no moov box, so its tracks cannot be found' };
    if (facts.problem.reason === 'truncated') facts.problem.message = facts.problem.message.replace('the file is cut short', 'the file is cut short before its moov box');
    return facts;
  }
  if (moovBox.size > MAX_MOOV_BYTES) {
    facts.problem = { reason: 'unsupported', message: `the moov box is ${moovBox.size} bytes, larger than the ${MAX_MOOV_BYTES} bytes wavid reads` };
    return facts;
  }

  throwIfCancelled(signal);
  let movie;
  try {
    movie = await readMovieBox(reader, head, moovBox.offset, moovBox.size);
  } catch (error) {
    if (!(error instanceof MovieBoxError)) throw error;
    facts.problem = { reason: 'corrupt', message: `the moov box is damaged: ${error.message}` };
    return facts;
  }
  const moovBytes = movie.bytes;
  const moov = parseChecked(moovBytes, 'moov', reader.size);
  if ('problem' in moov) {
    facts.problem = moov.problem;
    return facts;
  }
  facts.fragmented = child(moov.box, 'mvex') !== undefined;
  const fragments = facts.fragmented ? await readFragments(reader, boxes, moov.box, signal) : new Map<number, FragmentTiming>();

  const traks = (moov.box.boxes ?? []).filter((box) => box.type === 'trak');
  let dataEnd = 0;
  for (const [index, trak] of traks.entries()) {
    const trackId = numberField(child(trak, 'tkhd'), 'track_id') ?? 0;
    let track;
    try {
      track = readTrackFacts(trak, { tables: movie.tables[index], fragments: fragments.get(trackId), moovBytes });
    } catch (error) {
      facts.problem ??= { reason: 'corrupt', message: `track ${trackId} cannot be read: ${describe(error)}` };
      continue;
    }
    dataEnd = Math.max(dataEnd, track.dataEnd);
    if (track.kind === 'video') facts.video.push(track.facts);
    if (track.kind === 'audio') facts.audio.push(track.facts);
  }
  if (facts.video.length > 0 && facts.video.every((track) => track.sampleCount === 0)) {
    facts.problem ??= {
      reason: 'truncated',
      message: facts.fragmented
        ? 'the video track has no frames: this is only the header of a fragmented file (an init segment, or a recording that stopped)'
        : 'the video track has no frames',
    };
  }
  if (dataEnd > reader.size) {
    facts.problem ??= {
      reason: 'truncated',
      message: `sample data reaches byte ${dataEnd} but the file has ${reader.size} bytes: it was cut short`,
    };
  }
  facts.durationSeconds = movieDuration(moov.box, facts, fragments);
  return facts;
}

async function walkTopLevel(reader: ByteReader, head: Buffer, boxes: TopLevelBox[], signal?: AbortSignal): Promise<UnreadableProblem | null> {
  let offset = 0;
  while (offset < reader.size) {
    if (boxes.length % 256 === 255) throwIfCancelled(signal);
    if (boxes.length >= MAX_TOP_LEVEL_BOXES) {
      return { reason: 'unsupported', message: `the file has more than ${MAX_TOP_LEVEL_BOXES} top-level boxes` };
    }
    const bytesStart = offset + HEADER_READ <= head.length ? 0 : offset;
    const bytes = bytesStart === 0 ? head : await reader.read(offset, HEADER_READ);
    if (reader.size - offset < 8) {
      return { reason: 'truncated', message: `the file ends with ${reader.size - offset} stray bytes after its last box` };
    }
    const result = readBoxHeader(bytes, { offset, end: reader.size, bytesStart, topLevel: true });
    if (!result.ok) {
      if (result.reason === 'past-end') return { reason: 'truncated', message: `the file is cut short: ${result.message}` };
      return { reason: 'corrupt', message: result.message };
    }
    boxes.push({ type: result.header.type, offset, size: result.header.size });
    offset += result.header.size;
  }
  return null;
}

async function readBytes(reader: ByteReader, head: Buffer, offset: number, length: number): Promise<Buffer> {
  if (offset + length <= head.length) return head.subarray(offset, offset + length);
  if (offset >= head.length) return reader.read(offset, length);
  // Part of the box is in the head already: read only the rest.
  const rest = await reader.read(head.length, offset + length - head.length);
  return Buffer.concat([head.subarray(offset), rest]);
}

function parseChecked(bytes: Uint8Array, type: 'moov' | 'moof', fileSize: number): { box: ParsedBox } | { problem: UnreadableProblem } {
  const treeProblem = findBoxTreeProblem(bytes, fileSize);
  if (treeProblem) return { problem: { reason: 'corrupt', message: `the ${type} box is damaged: ${treeProblem}` } };
  try {
    const header = readBoxHeader(bytes, { offset: 0, end: bytes.length, topLevel: true });
    return { box: parseBox(bytes, type, header.ok ? header.header.headerSize : 8) };
  } catch (error) {
    return { problem: { reason: 'corrupt', message: `the ${type} box cannot be parsed: ${describe(error)}` } };
  }
}

function parseBrand(bytes: Uint8Array): FileBrand | null {
  if (bytes.length < 16) return null;
  const text = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const compatible: string[] = [];
  for (let at = 16; at + 4 <= bytes.length; at += 4) compatible.push(text(at));
  return { major: text(8), minorVersion: view.getUint32(12), compatible };
}

/** Reads the moof boxes of a fragmented file (small, bounded in total) into per-track sample timing. */
async function readFragments(reader: ByteReader, boxes: TopLevelBox[], moov: ParsedBox, signal?: AbortSignal): Promise<Map<number, FragmentTiming>> {
  const defaults = new Map<number, number>();
  for (const trex of child(moov, 'mvex')?.boxes?.filter((box) => box.type === 'trex') ?? []) {
    defaults.set(numberField(trex, 'track_id') ?? 0, numberField(trex, 'default_sample_duration') ?? 0);
  }
  const timing = new Map<number, { durations: { counts: number[]; values: number[] }; offsets: { counts: number[]; values: number[] }; hasOffsets: boolean }>();
  let budget = MAX_FRAGMENT_BYTES;
  let samplesLeft = MAX_FRAGMENT_SAMPLES;
  const moofs: TopLevelBox[] = [];
  for (const box of boxes) {
    if (box.type !== 'moof') continue;
    if (box.size > budget) break;
    budget -= box.size;
    moofs.push(box);
  }
  throwIfCancelled(signal);
  // The moofs lie between media data, so each is a read of its own; they are issued together.
  const moofBytes = await Promise.all(moofs.map((box) => reader.read(box.offset, box.size)));
  for (const bytes of moofBytes) {
    const parsed = parseChecked(bytes, 'moof', reader.size);
    if ('problem' in parsed) break;
    for (const traf of parsed.box.boxes?.filter((candidate) => candidate.type === 'traf') ?? []) {
      const tfhd = child(traf, 'tfhd');
      const trackId = numberField(tfhd, 'track_id') ?? 0;
      const defaultDuration = numberField(tfhd, 'default_sample_duration') || (defaults.get(trackId) ?? 0);
      let track = timing.get(trackId);
      if (!track) {
        track = { durations: { counts: [], values: [] }, offsets: { counts: [], values: [] }, hasOffsets: false };
        timing.set(trackId, track);
      }
      for (const trun of traf.boxes?.filter((candidate) => candidate.type === 'trun') ?? []) {
        const count = Math.min(numberField(trun, 'sample_count') ?? 0, samplesLeft);
        samplesLeft -= count;
        const durations = numberList(trun, 'sample_duration');
        const offsets = numberList(trun, 'sample_composition_time_offset');
        if (offsets.length > 0) track.hasOffsets = true;
        for (let i = 0; i < count; i++) {
          appendRun(track.durations, durations[i] ?? defaultDuration);
          appendRun(track.offsets, offsets[i] ?? 0);
        }
      }
    }
  }
  const result = new Map<number, FragmentTiming>();
  for (const [trackId, track] of timing) {
    result.set(trackId, { durations: track.durations, compositionOffsets: track.hasOffsets ? track.offsets : null });
  }
  return result;
}

function appendRun(table: { counts: number[]; values: number[] }, value: number): void {
  const last = table.values.length - 1;
  if (last >= 0 && table.values[last] === value) table.counts[last] = (table.counts[last] ?? 0) + 1;
  else {
    table.counts.push(1);
    table.values.push(value);
  }
}

function movieDuration(moov: ParsedBox, facts: IsoBmffFacts, fragments: Map<number, FragmentTiming>): number | null {
  const mvhd = child(moov, 'mvhd');
  const timescale = numberField(mvhd, 'timescale');
  const duration = numberField(mvhd, 'duration');
  if (timescale && duration) return duration / timescale;
  const fragmentDuration = numberField(child(child(moov, 'mvex'), 'mehd'), 'fragment_duration');
  if (timescale && fragmentDuration) return fragmentDuration / timescale;
  const trackDurations = [...facts.video, ...facts.audio].map((track) => track.durationSeconds ?? 0);
  const longest = Math.max(0, ...trackDurations);
  return longest > 0 || fragments.size === 0 ? longest || null : null;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
