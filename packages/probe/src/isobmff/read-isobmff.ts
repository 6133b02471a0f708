// The cancel module alone: this file runs in the probe's worker, whose start-up every first probe waits for.
import { throwIfCancelled } from '@wavid/foundation/cancel';
import type { ByteReader } from '../byte-reader.js';
import type { FileBrand, MediaFacts, TopLevelBox, UnreadableProblem, VideoTrackFacts } from '../media-facts.js';
import { readBoxHeader } from './box-header.js';
import { findBoxTreeProblem } from './check-box-tree.js';
import { child, numberField, parseBox, type ParsedBox } from './parse-box.js';
import { readFragment } from './read-fragment.js';
import { checkFirstSamples } from './check-first-samples.js';
import { firstSampleLocations } from './sample-tables.js';
import { MovieBoxError, readMovieBox } from './read-movie-box.js';
import { readTrackFacts, type FragmentTiming } from './track-facts.js';

/** What reading the boxes says beyond the facts it fills in. */
export interface IsoBmffRead {
  /**
   * The box sizes add up, but the moov's contents made no sense to this reader (a parser exception, not a
   * bound or a size check): another reader may still read the file, so `problem` is not the last word.
   */
  parserFailed: boolean;
}

/** Limits that keep a hostile file from costing more than a real one. */
const MAX_TOP_LEVEL_BOXES = 100_000;
const MAX_MOOV_BYTES = 256 * 1024 * 1024;
const MAX_FRAGMENT_BYTES = 4 * 1024 * 1024;
const MAX_FRAGMENT_SAMPLES = 1_000_000;
/** Fragments read for timing: enough for minutes of video, and a file of empty moofs costs no more. */
const MAX_FRAGMENTS = 1024;
/** Samples of the video track whose first bytes are checked. */
export const FIRST_SAMPLES = 16;
const HEADER_READ = 32;
/**
 * The most read at once when walking past a run of tiny top-level boxes. Each tiny box in a row doubles the
 * read, from one header: thousands of empty moofs cost a few reads, while the `free` box before a faststart
 * file's mdat costs 64 bytes, not 64 KB of media.
 */
const TOP_LEVEL_WINDOW = 64 * 1024;
/** A box this small counts towards a run; a moov of tens of KB ends one. */
const TINY_BOX = 4 * 1024;

/**
 * Reads an ISO-BMFF file by seeking from box header to box header, then reading only the moov (and the
 * small moof boxes of a fragmented file), into `facts` (made by `emptyFacts`, the one place facts start
 * from): brand, boxes, tracks, duration and problem. `head` holds the file's first bytes, already read.
 */
export async function readIsoBmff(reader: ByteReader, head: Buffer, facts: MediaFacts, signal?: AbortSignal): Promise<IsoBmffRead> {
  let parserFailed = false;
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
    return { parserFailed };
  }
  if (moovBox.size > MAX_MOOV_BYTES) {
    facts.problem = { reason: 'unsupported', message: `the moov box is ${moovBox.size} bytes, larger than the ${MAX_MOOV_BYTES} bytes wavid reads` };
    return { parserFailed };
  }

  throwIfCancelled(signal);
  let movie;
  try {
    movie = await readMovieBox(reader, head, moovBox.offset, moovBox.size);
  } catch (error) {
    if (!(error instanceof MovieBoxError)) throw error;
    facts.problem = { reason: 'corrupt', message: `the moov box is damaged: ${error.message}` };
    return { parserFailed };
  }
  const moovBytes = movie.bytes;
  const moov = parseChecked(moovBytes, 'moov', reader.size);
  if ('problem' in moov) {
    facts.problem = moov.problem;
    parserFailed = moov.parserFailed;
    return { parserFailed };
  }
  const badVersion = headerVersionProblem(moov.box);
  if (badVersion) {
    facts.problem = { reason: 'corrupt', message: badVersion };
    return { parserFailed };
  }
  facts.fragmented = child(moov.box, 'mvex') !== undefined;
  const fragmentData = facts.fragmented ? await readFragments(reader, boxes, moov.box, signal) : { timing: new Map<number, FragmentTiming>(), firstSamples: new Map<number, SampleLocation[]>(), problem: null };
  const fragments = fragmentData.timing;

  const traks = (moov.box.boxes ?? []).filter((box) => box.type === 'trak');
  let dataEnd = 0;
  let firstVideo: { trak: ParsedBox; video: VideoTrackFacts; samples: SampleLocation[]; otherDescription: boolean } | null = null;
  for (const [index, trak] of traks.entries()) {
    const trackId = numberField(child(trak, 'tkhd'), 'track_id') ?? 0;
    let track;
    try {
      track = readTrackFacts(trak, { tables: movie.tables[index], fragments: fragments.get(trackId), moovBytes });
    } catch (error) {
      if (!facts.problem) parserFailed = true;
      facts.problem ??= { reason: 'corrupt', message: `track ${trackId} cannot be read: ${describe(error)}` };
      continue;
    }
    dataEnd = Math.max(dataEnd, track.dataEnd);
    if (track.kind === 'video') {
      facts.video.push(track.facts);
      const tables = movie.tables[index];
      const samples = facts.fragmented ? (fragmentData.firstSamples.get(trackId) ?? []) : tables ? firstSampleLocations(tables, FIRST_SAMPLES) : [];
      // The moov copy keeps the first sample description; samples coded with another, different one cannot be checked against it.
      const otherDescription = (tables?.heads?.chunkRuns[0]?.sampleDescription ?? 1) !== 1 && !track.facts.sampleDescriptions.copiesOfFirst;
      firstVideo ??= { trak, video: track.facts, samples, otherDescription };
      const mediaDuration = numberField(child(child(trak, 'mdia'), 'mdhd'), 'duration') ?? 0;
      const editStart = tables?.firstEditMediaTime ?? 0;
      if (!facts.fragmented && mediaDuration > 0 && editStart >= mediaDuration) {
        facts.problem ??= { reason: 'corrupt', message: `the edit list of track ${trackId} starts its media after the last frame, so nothing is shown` };
      }
    }
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
  facts.problem ??= fragmentData.problem;
  if (!facts.problem && firstVideo && !firstVideo.otherDescription) {
    facts.problem = await checkFirstSamples(reader, { ...firstVideo, moovBytes, topLevelBoxes: boxes });
  }
  facts.durationSeconds = movieDuration(moov.box, facts, fragments);
  return { parserFailed };
}

async function walkTopLevel(reader: ByteReader, head: Buffer, boxes: TopLevelBox[], signal?: AbortSignal): Promise<UnreadableProblem | null> {
  let offset = 0;
  let window: Buffer = head;
  let windowStart = 0;
  let tinyRun = 0;
  while (offset < reader.size) {
    if (boxes.length % 256 === 255) throwIfCancelled(signal);
    if (boxes.length >= MAX_TOP_LEVEL_BOXES) {
      return { reason: 'unsupported', message: `the file has more than ${MAX_TOP_LEVEL_BOXES} top-level boxes` };
    }
    const inWindow = offset >= windowStart && offset + HEADER_READ <= windowStart + window.length;
    if (!inWindow) {
      windowStart = offset;
      window = await reader.read(offset, Math.min(TOP_LEVEL_WINDOW, HEADER_READ * 2 ** Math.min(tinyRun, 16)));
    }
    const bytesStart = windowStart;
    const bytes = window;
    if (reader.size - offset < 8) {
      return { reason: 'truncated', message: `the file ends with ${reader.size - offset} stray bytes after its last box` };
    }
    const result = readBoxHeader(bytes, { offset, end: reader.size, bytesStart, topLevel: true });
    if (!result.ok) {
      if (result.reason === 'past-end') return { reason: 'truncated', message: `the file is cut short: ${result.message}` };
      return { reason: 'corrupt', message: result.message };
    }
    boxes.push({ type: result.header.type, offset, size: result.header.size, headerSize: result.header.headerSize });
    tinyRun = result.header.size < TINY_BOX ? tinyRun + 1 : 0;
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

function parseChecked(bytes: Uint8Array, type: 'moov' | 'moof', fileSize: number): { box: ParsedBox } | { problem: UnreadableProblem; parserFailed: boolean } {
  const treeProblem = findBoxTreeProblem(bytes, fileSize);
  if (treeProblem) return { problem: { reason: 'corrupt', message: `the ${type} box is damaged: ${treeProblem}` }, parserFailed: false };
  try {
    const header = readBoxHeader(bytes, { offset: 0, end: bytes.length, topLevel: true });
    return { box: parseBox(bytes, type, header.ok ? header.header.headerSize : 8) };
  } catch (error) {
    return { problem: { reason: 'corrupt', message: `the ${type} box cannot be parsed: ${describe(error)}` }, parserFailed: true };
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

/** Where one sample lies in the file. */
export interface SampleLocation {
  offset: number;
  size: number;
}

/** Sample timing of a fragmented file per track, and where each track's first samples lie. */
interface Fragments {
  timing: Map<number, FragmentTiming>;
  firstSamples: Map<number, SampleLocation[]>;
  /** Set when a fragment cannot be read. */
  problem: UnreadableProblem | null;
}

/**
 * Reads the moof boxes of a fragmented file (at most MAX_FRAGMENTS, bounded in bytes and samples) into
 * per-track sample timing, and the locations of each track's first samples.
 */
async function readFragments(reader: ByteReader, boxes: TopLevelBox[], moov: ParsedBox, signal?: AbortSignal): Promise<Fragments> {
  const defaults = new Map<number, { duration: number; size: number }>();
  for (const trex of child(moov, 'mvex')?.boxes?.filter((box) => box.type === 'trex') ?? []) {
    defaults.set(numberField(trex, 'track_id') ?? 0, { duration: numberField(trex, 'default_sample_duration') ?? 0, size: numberField(trex, 'default_sample_size') ?? 0 });
  }
  const timing = new Map<number, { durations: { counts: number[]; values: number[] }; offsets: { counts: number[]; values: number[] }; hasOffsets: boolean }>();
  const firstSamples = new Map<number, SampleLocation[]>();
  let budget = MAX_FRAGMENT_BYTES;
  let samplesLeft = MAX_FRAGMENT_SAMPLES;
  const moofs: TopLevelBox[] = [];
  for (const box of boxes) {
    if (box.type !== 'moof') continue;
    if (box.size > budget || moofs.length >= MAX_FRAGMENTS) break;
    budget -= box.size;
    moofs.push(box);
  }
  throwIfCancelled(signal);
  let problem: UnreadableProblem | null = null;
  fragments: for (const moof of moofs) {
    let trafs;
    try {
      trafs = readFragment(await reader.read(moof.offset, moof.size), moof.offset, samplesLeft);
    } catch (error) {
      problem = { reason: 'corrupt', message: `the fragment at offset ${moof.offset} is damaged: ${describe(error)}` };
      break;
    }
    const unknown = trafs.find((traf) => !defaults.has(traf.trackId));
    if (unknown) {
      problem = { reason: 'corrupt', message: `the fragment at offset ${moof.offset} is for track ${unknown.trackId}, which the file does not declare` };
      break;
    }
    for (const traf of trafs) {
      const trackDefaults = defaults.get(traf.trackId);
      const defaultDuration = traf.defaultSampleDuration || (trackDefaults?.duration ?? 0);
      const defaultSize = traf.defaultSampleSize ?? trackDefaults?.size ?? 0;
      let track = timing.get(traf.trackId);
      if (!track) {
        track = { durations: { counts: [], values: [] }, offsets: { counts: [], values: [] }, hasOffsets: false };
        timing.set(traf.trackId, track);
      }
      const located = firstSamples.get(traf.trackId) ?? [];
      firstSamples.set(traf.trackId, located);
      let dataAt = traf.baseOffset;
      for (const run of traf.runs) {
        samplesLeft -= run.durations.length;
        if (run.compositionOffsets) track.hasOffsets = true;
        if (run.dataOffset !== null) dataAt = traf.baseOffset + run.dataOffset;
        for (let i = 0; i < run.durations.length; i++) {
          appendRun(track.durations, run.durations[i] ?? defaultDuration);
          appendRun(track.offsets, run.compositionOffsets?.[i] ?? 0);
          const size = run.sizes[i] ?? defaultSize;
          // An empty sample makes a demuxer refuse the whole file, whatever its track; data past the end, a cut file.
          const misplaced = sampleProblem(moof.offset, traf.trackId, dataAt, size, reader.size);
          if (misplaced) {
            problem = misplaced;
            break fragments;
          }
          if (located.length < FIRST_SAMPLES) located.push({ offset: dataAt, size });
          dataAt += size;
        }
      }
    }
  }
  const result = new Map<number, FragmentTiming>();
  for (const [trackId, track] of timing) {
    result.set(trackId, { durations: track.durations, compositionOffsets: track.hasOffsets ? track.offsets : null });
  }
  return { timing: result, firstSamples, problem };
}

function sampleProblem(moofOffset: number, trackId: number, offset: number, size: number, fileSize: number): UnreadableProblem | null {
  if (size === 0) return { reason: 'corrupt', message: `the fragment at offset ${moofOffset} lists a sample of 0 bytes for track ${trackId}` };
  // As for a file with its index in the moov: sample data past the end means the file was cut short.
  if (offset + size > fileSize) {
    return { reason: 'truncated', message: `the fragment at offset ${moofOffset} places sample data of track ${trackId} up to byte ${offset + size} but the file has ${fileSize} bytes: it was cut short` };
  }
  return null;
}

function appendRun(table: { counts: number[]; values: number[] }, value: number): void {
  const last = table.values.length - 1;
  if (last >= 0 && table.values[last] === value) table.counts[last] = (table.counts[last] ?? 0) + 1;
  else {
    table.counts.push(1);
    table.values.push(value);
  }
}

function movieDuration(moov: ParsedBox, facts: MediaFacts, fragments: Map<number, FragmentTiming>): number | null {
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

/** mvhd, tkhd and mdhd exist in versions 0 and 1 only; demuxers refuse any other. */
function headerVersionProblem(moov: ParsedBox): string | null {
  const headers = [child(moov, 'mvhd')];
  for (const trak of moov.boxes?.filter((box) => box.type === 'trak') ?? []) headers.push(child(trak, 'tkhd'), child(child(trak, 'mdia'), 'mdhd'));
  for (const header of headers) {
    const version = numberField(header, 'version') ?? 0;
    if (version > 1) return `its '${header?.type ?? '?'}' box has version ${version}, which does not exist`;
  }
  return null;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
