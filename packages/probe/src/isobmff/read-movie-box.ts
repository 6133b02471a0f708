import type { ByteReader } from '../byte-reader.js';
import type { SampleDescriptions } from '../media-facts.js';
import { readBoxHeader } from './box-header.js';
import { checkDataInformation, firstEditMediaTime } from './check-track-boxes.js';
import { pruneSampleDescription } from './prune-sample-description.js';
import { readSampleDescriptions } from './read-sample-descriptions.js';
import type { SampleTableSummary, TableHeads } from './sample-tables.js';

/**
 * The children of each box the probe walks that its verdict needs. Every other box is skipped by its
 * header and never reaches the box parser: user data, metadata (`keys`, `iloc`), sample groups, sync
 * tables, and whatever a hostile file inserts.
 */
const KEPT_CHILDREN: Readonly<Record<string, ReadonlySet<string>>> = {
  moov: new Set(['mvhd', 'trak', 'mvex']),
  trak: new Set(['tkhd', 'mdia']),
  mdia: new Set(['mdhd', 'hdlr', 'minf']),
  minf: new Set(['stbl']),
  stbl: new Set(['stsd', 'stts', 'ctts', 'stsz', 'stco', 'co64', 'stsc']),
  mvex: new Set(['trex', 'mehd']),
};
/** More boxes than this in a moov (a real one holds a few dozen per track) is damage or hostility. */
export const MAX_MOOV_BOXES = 10_000;
/** Tracks a real file has: a few. A moov with more is not read. */
export const MAX_TRACKS = 64;
/** Large per-sample tables that are summarised, not kept. */
const SUMMARISED = new Set(['stsz', 'stco', 'co64', 'stsc']);
/** Run-length timing tables: only their first entries are kept; enough to judge B-frames and frame rate. */
const TIMING_PREFIX_BYTES = 16 * 1024;
/** A moov up to this size is read in one go rather than walked. */
const WHOLE_MOOV_BYTES = 48 * 1024;
/** Reads past the head come in windows of this size, so neighbouring small boxes cost one read. */
const WINDOW_BYTES = 4 * 1024;
/** Entries read from the start of each sample table: enough to find the first samples. */
const HEAD_ENTRIES = 16;
/** Samples in the last chunk of most files (ffmpeg writes about a second of video per chunk). */
const TYPICAL_LAST_CHUNK_SAMPLES = 64;
/** No box the probe keeps whole is this large in a real file; a larger one is damage or hostility. */
const MAX_KEPT_BOX_BYTES = 1024 * 1024;
/** Edit lists and data references of real files are a few dozen bytes. */
const MAX_CHECKED_BOX_BYTES = 64 * 1024;

export class MovieBoxError extends Error {
  override readonly name = 'MovieBoxError';
}

/** The moov as the probe uses it: a copy without the large tables, and their summaries per track. */
export interface MovieBox {
  /** A valid moov box holding every box the probe reads, with the summarised and skipped ones left out. */
  bytes: Uint8Array;
  /** One summary per trak, in trak order. */
  tables: SampleTableSummary[];
  /** Timing tables cut to their first entries. */
  timingCut: boolean;
}

interface Location {
  offset: number;
  size: number;
  headerSize: number;
}

/** Serves byte ranges of the file from the head, a small window of the last read, or a new read. */
class ByteWindow {
  private window: Buffer = Buffer.alloc(0);
  private windowStart = 0;

  constructor(
    private readonly reader: ByteReader,
    private readonly head: Buffer,
    private readonly limit: number,
  ) {}

  /** Makes the window hold `length` bytes at `offset`, reading only what the head does not already hold. */
  async load(offset: number, length: number): Promise<void> {
    const fromHead = offset < this.head.length ? this.head.subarray(offset) : Buffer.alloc(0);
    const rest = await this.reader.read(offset + fromHead.length, length - fromHead.length);
    this.window = Buffer.concat([fromHead, rest]);
    this.windowStart = offset;
  }

  /** The bytes at `offset` when the head or the window already holds them, without reading. */
  held(offset: number, length: number): Buffer | null {
    if (offset + length <= this.head.length) return this.head.subarray(offset, offset + length);
    const start = offset - this.windowStart;
    return start >= 0 && start + length <= this.window.length ? this.window.subarray(start, start + length) : null;
  }

  /** `exact` reads only the range asked for: for a table's last entries, where what follows is not needed. */
  async bytes(offset: number, length: number, exact = false): Promise<Buffer> {
    if (offset + length <= this.head.length) return this.head.subarray(offset, offset + length);
    const start = offset - this.windowStart;
    if (start >= 0 && start + length <= this.window.length) return this.window.subarray(start, start + length);
    if (exact) {
      // Exact reads leave the window alone, so several can run at once.
      const bytes = await this.reader.read(offset, length);
      if (bytes.length < length) throw new MovieBoxError(`the file ends inside the moov box at offset ${offset}`);
      return bytes;
    }
    const readLength = Math.min(Math.max(length, WINDOW_BYTES), this.limit - offset);
    this.window = await this.reader.read(offset, readLength);
    this.windowStart = offset;
    if (this.window.length < length) throw new MovieBoxError(`the file ends inside the moov box at offset ${offset}`);
    return this.window.subarray(0, length);
  }
}

/**
 * Reads the moov box at `offset` walking its tree by headers: small boxes are kept, the large sample
 * tables are summarised from their first and last entries, and boxes the probe does not need are skipped.
 * A faststart file's moov usually lies inside `head` and costs no read at all.
 */
export async function readMovieBox(reader: ByteReader, head: Buffer, offset: number, size: number): Promise<MovieBox> {
  const window = new ByteWindow(reader, head, offset + size);
  // A typical moov (under 48 KB: a clip of a minute or two) costs one read, and with the head stays within 64 KB.
  if (size <= WHOLE_MOOV_BYTES && offset + size > head.length) await window.load(offset, size);
  const tableLocations: Map<string, Location>[] = [];
  let timingCut = false;

  async function header(at: number, end: number): Promise<Location & { type: string }> {
    const bytes = await window.bytes(at, Math.min(16, end - at));
    const result = readBoxHeader(bytes, { offset: at, end, bytesStart: at, topLevel: at === offset });
    if (!result.ok) throw new MovieBoxError(result.message);
    return { type: result.header.type, offset: at, size: result.header.size, headerSize: result.header.headerSize };
  }

  const firstMediaTimes = new Map<Map<string, Location>, number>();
  const sampleDescriptions = new Map<Map<string, Location>, SampleDescriptions>();
  let boxesSeen = 0;
  let tracks = 0;

  async function reduce(box: Location & { type: string }, depth: number): Promise<Uint8Array | null> {
    if (depth > 12) throw new MovieBoxError('boxes are nested deeper than any real file');
    const kept = KEPT_CHILDREN[box.type];
    if (kept) {
      if (box.type === 'trak') {
        if (++tracks > MAX_TRACKS) throw new MovieBoxError(`it holds more than ${MAX_TRACKS} tracks, more than any real video`);
        // One entry per trak, even one without tables, so the summaries stay in trak order.
        tableLocations.push(new Map());
      }
      const children: Uint8Array[] = [];
      const seen = new Set<string>();
      let at = box.offset + box.headerSize;
      const end = box.offset + box.size;
      while (at + 8 <= end) {
        if (++boxesSeen > MAX_MOOV_BOXES) throw new MovieBoxError(`it holds more than ${MAX_MOOV_BOXES} boxes, more than any real video`);
        const childBox = await header(at, end);
        if (kept.has(childBox.type)) {
          // Demuxers refuse a second sample table or header of the same kind rather than guess which counts.
          if (seen.has(childBox.type) && childBox.type !== 'trak' && childBox.type !== 'trex') throw new MovieBoxError(`'${box.type}' holds two '${childBox.type}' boxes`);
          seen.add(childBox.type);
          const bytes = await reduce(childBox, depth + 1);
          if (bytes) children.push(bytes);
        } else if ((box.type === 'trak' && childBox.type === 'edts') || (box.type === 'minf' && childBox.type === 'dinf')) {
          await checkTrackBox(childBox);
        } else if (box.type === 'stbl' && childBox.type === 'stss') {
          // Not needed for the verdict, but a demuxer refuses a sync table that claims more entries than it holds.
          await tableCount(childBox, 4);
        }
        at += childBox.size;
      }
      if (box.type === 'stbl') checkMandatoryTables(seen);
      return containerBytes(box.type, children);
    }
    if (SUMMARISED.has(box.type)) {
      tableLocations.at(-1)?.set(box.type, box);
      return null;
    }
    if (box.type === 'stts' || box.type === 'ctts') return timingPrefix(box);
    if (box.size > MAX_KEPT_BOX_BYTES) throw new MovieBoxError(`the '${box.type}' box claims ${box.size} bytes`);
    const bytes = await window.bytes(box.offset, box.size);
    if (box.type !== 'stsd') return bytes;
    const pruned = pruneSampleDescription(bytes);
    const descriptions = readSampleDescriptions(bytes);
    if (!pruned || !descriptions) throw new MovieBoxError('its sample description holds no readable entry');
    // The copy keeps only the first entry; stsc's indexes are checked against all of them.
    const track = tableLocations.at(-1);
    if (track) sampleDescriptions.set(track, descriptions);
    return pruned;
  }

  /** Boxes a demuxer refuses a file over, checked here and then left out: the data reference and the edit list. */
  async function checkTrackBox(box: Location & { type: string }): Promise<void> {
    if (box.size > MAX_CHECKED_BOX_BYTES) throw new MovieBoxError(`the '${box.type}' box claims ${box.size} bytes`);
    const bytes = await window.bytes(box.offset, box.size);
    if (box.type === 'dinf') {
      const problem = checkDataInformation(bytes);
      if (problem) throw new MovieBoxError(problem);
      return;
    }
    const mediaTime = firstEditMediaTime(bytes);
    if (typeof mediaTime === 'string') throw new MovieBoxError(mediaTime);
    const track = tableLocations.at(-1);
    if (track && mediaTime !== null) firstMediaTimes.set(track, mediaTime);
  }

  /** The first entries of stts or ctts, as a box whose entry count says how many it holds. */
  async function timingPrefix(box: Location & { type: string }): Promise<Uint8Array> {
    const claimed = await tableCount(box, 8);
    if (box.headerSize !== 8) throw new MovieBoxError(`the '${box.type}' box has a 64-bit size, which no real timing table needs`);
    const held = Math.min(claimed, Math.floor(TIMING_PREFIX_BYTES / 8));
    if (held < claimed) timingCut = true;
    const kept = Buffer.from(await window.bytes(box.offset, 16 + held * 8));
    kept.writeUInt32BE(kept.length, 0);
    kept.writeUInt32BE(held, 12);
    return kept;
  }

  /**
   * Reads the counts and last entries of one track's tables. The reads are independent, so they run at
   * once; stsz's tail is read for a typical last chunk and read again only when the chunk holds more.
   */
  async function summarise(locations: Map<string, Location>): Promise<SampleTableSummary> {
    const summary: SampleTableSummary = { sampleCount: 0, constantSampleSize: 0, lastSampleSizes: [], chunkCount: 0, lastChunkOffset: 0, samplesInLastChunk: 0 };
    const descriptions = sampleDescriptions.get(locations);
    if (descriptions) summary.sampleDescriptions = descriptions;
    const descriptionCount = descriptions?.count ?? 1;
    const stsc = locations.get('stsc');
    const chunks = locations.get('stco') ?? locations.get('co64');
    const stsz = locations.get('stsz');
    const [lastRunStart, , sizes] = await Promise.all([
      stsc && lastStscRun(stsc, descriptionCount, summary),
      chunks && lastChunk(chunks, locations.has('stco') ? 4 : 8, summary),
      stsz && sampleSizes(stsz, summary),
    ]);
    // A demuxer refuses a track whose runs of chunks start at a chunk the chunk table does not have.
    if (lastRunStart !== undefined && lastRunStart > summary.chunkCount) {
      throw new MovieBoxError(`'stsc' starts a run at chunk ${lastRunStart} but the track has ${summary.chunkCount} chunks`);
    }
    const mediaTime = firstMediaTimes.get(locations);
    if (mediaTime !== undefined) summary.firstEditMediaTime = mediaTime;
    summary.heads = await tableHeads({ stsc, chunks, chunkEntryBytes: locations.has('stco') ? 4 : 8, stsz, descriptionCount }, summary);
    if (stsz && sizes && summary.constantSampleSize === 0) {
      const wanted = Math.min(summary.samplesInLastChunk || 1, summary.sampleCount, 100_000);
      summary.lastSampleSizes = wanted <= sizes.length ? sizes.slice(-wanted) : await lastSizes(stsz, summary.sampleCount, wanted);
    }
    return summary;
  }

  /** The first entries of each table, for the first samples' locations. */
  async function tableHeads(tables: TrackTables, summary: SampleTableSummary): Promise<TableHeads> {
    const { stsc, chunks, chunkEntryBytes, stsz, descriptionCount } = tables;
    const heads: TableHeads = { chunkOffsets: [], chunkRuns: [], sampleSizes: [] };
    const firstEntries = async (box: Location | undefined, skip: number, entryBytes: number, count: number) =>
      box && count > 0 ? window.bytes(box.offset + box.headerSize + skip, Math.min(count, HEAD_ENTRIES) * entryBytes, true) : Buffer.alloc(0);
    const [runs, offsets, sizes] = await Promise.all([
      firstEntries(stsc, 8, 12, stsc ? await tableCount(stsc, 12) : 0),
      firstEntries(chunks, 8, chunkEntryBytes, summary.chunkCount),
      firstEntries(stsz, 12, 4, summary.constantSampleSize === 0 ? summary.sampleCount : 0),
    ]);
    for (let at = 0; at + 12 <= runs.length; at += 12) {
      const sampleDescription = runs.readUInt32BE(at + 8);
      checkDescriptionIndex(sampleDescription, descriptionCount);
      heads.chunkRuns.push({ firstChunk: runs.readUInt32BE(at), samplesPerChunk: runs.readUInt32BE(at + 4), sampleDescription });
    }
    for (let at = 0; at + chunkEntryBytes <= offsets.length; at += chunkEntryBytes) {
      heads.chunkOffsets.push(chunkEntryBytes === 4 ? offsets.readUInt32BE(at) : offsets.readUInt32BE(at) * 2 ** 32 + offsets.readUInt32BE(at + 4));
    }
    for (let at = 0; at + 4 <= sizes.length; at += 4) heads.sampleSizes.push(sizes.readUInt32BE(at));
    return heads;
  }

  /** Reads stsc's last run; returns the chunk it starts at (0 without runs). */
  async function lastStscRun(stsc: Location, descriptionCount: number, summary: SampleTableSummary): Promise<number> {
    const count = await tableCount(stsc, 12);
    if (count === 0) return 0;
    const last = await window.bytes(stsc.offset + stsc.headerSize + 8 + (count - 1) * 12, 12, true);
    checkDescriptionIndex(last.readUInt32BE(8), descriptionCount);
    summary.samplesInLastChunk = last.readUInt32BE(4);
    return last.readUInt32BE(0);
  }

  async function lastChunk(chunks: Location, entryBytes: number, summary: SampleTableSummary): Promise<void> {
    summary.chunkCount = await tableCount(chunks, entryBytes);
    if (summary.chunkCount === 0) return;
    const last = await window.bytes(chunks.offset + chunks.headerSize + 8 + (summary.chunkCount - 1) * entryBytes, entryBytes, true);
    summary.lastChunkOffset = entryBytes === 4 ? last.readUInt32BE(0) : last.readUInt32BE(0) * 2 ** 32 + last.readUInt32BE(4);
  }

  /** Reads stsz's counts and, when sizes are listed, the last few of them. */
  async function sampleSizes(stsz: Location, summary: SampleTableSummary): Promise<number[]> {
    if (stsz.size < stsz.headerSize + 12) throw new MovieBoxError(`'stsz' of ${stsz.size} bytes is too small to hold its counts`);
    const fields = await window.bytes(stsz.offset + stsz.headerSize + 4, 8, true);
    summary.constantSampleSize = fields.readUInt32BE(0);
    summary.sampleCount = fields.readUInt32BE(4);
    const payload = stsz.size - stsz.headerSize - 12;
    if (summary.constantSampleSize !== 0) {
      if (summary.constantSampleSize * summary.sampleCount > reader.size) {
        throw new MovieBoxError(`'stsz' claims ${summary.sampleCount} samples of ${summary.constantSampleSize} bytes, more than the whole file`);
      }
      return [];
    }
    if (summary.sampleCount * 4 > payload) throw new MovieBoxError(`'stsz' claims ${summary.sampleCount} sample sizes but holds room for ${Math.floor(payload / 4)}`);
    // Decoders reject a file with any sample larger than 2 GB; the sizes already in memory are checked at no cost.
    const listed = window.held(stsz.offset + stsz.headerSize + 12, summary.sampleCount * 4);
    for (let at = 0; listed && at < listed.length; at += 4) {
      const size = listed.readUInt32BE(at);
      if (size > reader.size) throw new MovieBoxError(`'stsz' lists a sample of ${size} bytes, more than the whole file`);
    }
    return lastSizes(stsz, summary.sampleCount, Math.min(TYPICAL_LAST_CHUNK_SAMPLES, summary.sampleCount));
  }

  async function lastSizes(stsz: Location, sampleCount: number, count: number): Promise<number[]> {
    const bytes = await window.bytes(stsz.offset + stsz.headerSize + 12 + (sampleCount - count) * 4, count * 4, true);
    return Array.from({ length: count }, (_, i) => bytes.readUInt32BE(i * 4));
  }

  /** A table's entry count, checked against the room its box has for entries of `entryBytes`. */
  async function tableCount(box: Location & { type?: string }, entryBytes: number): Promise<number> {
    if (box.size < box.headerSize + 8) throw new MovieBoxError(`a sample table of ${box.size} bytes is too small to hold its count`);
    const count = (await window.bytes(box.offset + box.headerSize + 4, 4)).readUInt32BE(0);
    const room = Math.floor((box.size - box.headerSize - 8) / entryBytes);
    if (count > room) throw new MovieBoxError(`a sample table claims ${count} entries but holds room for ${room}`);
    return count;
  }

  const root = await header(offset, offset + size);
  const bytes = await reduce(root, 0);
  if (!bytes) throw new MovieBoxError('the moov box is empty');
  const tables = await Promise.all(tableLocations.map(summarise));
  return { bytes, tables, timingCut };
}

/** The sample tables of one track that locate its samples, and the number of its sample descriptions. */
interface TrackTables {
  stsc: Location | undefined;
  chunks: Location | undefined;
  /** 4 for stco, 8 for co64. */
  chunkEntryBytes: number;
  stsz: Location | undefined;
  descriptionCount: number;
}

/** stsc numbers stsd entries from 1; a run naming none of the track's entries is damage, which demuxers refuse or guess around. */
function checkDescriptionIndex(index: number, count: number): void {
  if (index < 1 || index > count) {
    throw new MovieBoxError(`'stsc' names sample description ${index}, which the track does not have (it has ${count})`);
  }
}

/** A sample table with chunks needs its timing, runs and sizes; a demuxer refuses the track without one of them. */
function checkMandatoryTables(present: ReadonlySet<string>): void {
  if (!present.has('stco') && !present.has('co64')) return;
  for (const type of ['stts', 'stsc', 'stsz']) {
    if (!present.has(type)) throw new MovieBoxError(`a track has chunks but no '${type}' box`);
  }
}

function containerBytes(type: string, children: Uint8Array[]): Uint8Array {
  const size = 8 + children.reduce((sum, part) => sum + part.length, 0);
  const bytes = Buffer.alloc(size);
  bytes.writeUInt32BE(size, 0);
  bytes.write(type, 4, 'latin1');
  let at = 8;
  for (const part of children) {
    bytes.set(part, at);
    at += part.length;
  }
  return bytes;
}
