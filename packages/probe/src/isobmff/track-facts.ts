import type { AudioTrackFacts, ChromaFormat, SampleDescriptions, VideoTrackFacts } from '../media-facts.js';
import { parseAacConfig } from './aac-config.js';
import { h264Level, h264Profile, parseH264Sps } from './h264-sps.js';
import { child, numberField, numberList, parseBox, path, type ParsedBox } from './parse-box.js';
import { frameTiming, hasReorderedFrames, type RunTable } from './sample-timing.js';
import { lastChunkEnd, type SampleTableSummary } from './sample-tables.js';

/** Sample timing gathered from movie fragments (moof/traf/trun) for one track. */
export interface FragmentTiming {
  durations: RunTable;
  compositionOffsets: RunTable | null;
}

export type TrackFacts =
  | { kind: 'video'; facts: VideoTrackFacts; dataEnd: number }
  | { kind: 'audio'; facts: AudioTrackFacts; dataEnd: number }
  | { kind: 'other'; dataEnd: number };

const VIDEO_CODECS: Record<string, string> = {
  avc1: 'h264', avc2: 'h264', avc3: 'h264', avc4: 'h264',
  hvc1: 'hevc', hev1: 'hevc', dvh1: 'hevc', dvhe: 'hevc',
  vp08: 'vp8', vp09: 'vp9', av01: 'av1', mp4v: 'mpeg4', s263: 'h263', h263: 'h263',
  jpeg: 'mjpeg', mjpa: 'mjpeg', apch: 'prores', apcn: 'prores', apcs: 'prores', apco: 'prores', ap4h: 'prores',
};

const AUDIO_CODECS: Record<string, string> = {
  'ac-3': 'ac3', 'ec-3': 'eac3', Opus: 'opus', fLaC: 'flac', alac: 'alac', samr: 'amr_nb', sawb: 'amr_wb',
  '.mp3': 'mp3', lpcm: 'pcm', sowt: 'pcm', twos: 'pcm', ipcm: 'pcm', fpcm: 'pcm', ulaw: 'pcm_mulaw', alaw: 'pcm_alaw',
};

const HEVC_CHROMA: readonly ChromaFormat[] = ['4:0:0', '4:2:0', '4:2:2', '4:4:4'];

/** What a trak is read with besides its parsed boxes. */
export interface TrackSources {
  /** Counts and last chunk of the sample tables, which the parsed moov leaves out. */
  tables: SampleTableSummary | undefined;
  /** Timing of a fragmented file's samples. */
  fragments: FragmentTiming | undefined;
  /** The moov the trak was parsed from, for boxes mp4box leaves unparsed. */
  moovBytes: Uint8Array;
}

/** Reads one trak into facts. */
export function readTrackFacts(trak: ParsedBox, sources: TrackSources): TrackFacts {
  const { tables, fragments, moovBytes } = sources;
  const handler = child(path(trak, 'mdia'), 'hdlr')?.handler;
  const stbl = path(trak, 'mdia', 'minf', 'stbl');
  const entries = child(stbl, 'stsd')?.entries;
  const entry = Array.isArray(entries) ? (entries[0] as ParsedBox | undefined) : undefined;
  const dataEnd = tables ? lastChunkEnd(tables) : 0;
  if (handler === 'vide') return { kind: 'video', facts: readVideo(trak, stbl, entry, fragments, tables), dataEnd };
  if (handler === 'soun') return { kind: 'audio', facts: readAudio(trak, entry, moovBytes, tables), dataEnd };
  return { kind: 'other', dataEnd };
}

/** A copy, so facts never share an object; a track without an stsd has none. */
function sampleDescriptionsOf(tables: SampleTableSummary | undefined): SampleDescriptions {
  return { ...(tables?.sampleDescriptions ?? { count: 0, copiesOfFirst: true }) };
}

function runTable(box: ParsedBox | undefined, countField: string, valueField: string): RunTable | null {
  if (!box) return null;
  return { counts: numberList(box, countField), values: numberList(box, valueField) };
}

function mediaSeconds(trak: ParsedBox, duration: number): number | null {
  const timescale = numberField(path(trak, 'mdia', 'mdhd'), 'timescale');
  return timescale ? duration / timescale : null;
}

function readVideo(
  trak: ParsedBox,
  stbl: ParsedBox | undefined,
  entry: ParsedBox | undefined,
  fragments: FragmentTiming | undefined,
  tables: SampleTableSummary | undefined,
): VideoTrackFacts {
  const tag = entry?.type ?? null;
  // The timing tables may hold only their first entries; counts and duration come from stsz and mdhd.
  const durations = fragments?.durations ?? runTable(child(stbl, 'stts'), 'sample_counts', 'sample_deltas') ?? { counts: [], values: [] };
  const offsets = fragments ? fragments.compositionOffsets : runTable(child(stbl, 'ctts'), 'sample_counts', 'sample_offsets');
  const timing = frameTiming(durations);
  const sampleCount = fragments || !tables ? timing.sampleCount : tables.sampleCount;
  const mediaDuration = numberField(path(trak, 'mdia', 'mdhd'), 'duration') ?? 0;
  const durationSeconds = mediaSeconds(trak, fragments || mediaDuration === 0 ? timing.totalDuration : mediaDuration) || null;
  const codedWidth = numberField(entry, 'width') ?? 0;
  const codedHeight = numberField(entry, 'height') ?? 0;
  const rotation = rotationFromMatrix(numberList(child(trak, 'tkhd'), 'matrix'));
  const facts: VideoTrackFacts = {
    trackId: numberField(child(trak, 'tkhd'), 'track_id') ?? 0,
    codec: (tag && VIDEO_CODECS[tag]) ?? tag ?? 'unknown',
    codecTag: tag,
    profile: null,
    level: null,
    codedWidth,
    codedHeight,
    ...displaySize(trak, entry, codedWidth, codedHeight, rotation),
    rotation,
    frameRate: durationSeconds ? sampleCount / durationSeconds : null,
    variableFrameRate: timing.variableFrameRate,
    bitDepth: null,
    chromaFormat: null,
    bFrames: sampleCount > 0 ? hasReorderedFrames(durations, offsets) : null,
    hdr: tag === 'dvh1' || tag === 'dvhe' || isHdrTransfer(child(entry, 'colr')),
    sampleCount,
    durationSeconds,
    sampleDescriptions: sampleDescriptionsOf(tables),
  };
  const avcC = child(entry, 'avcC');
  if (avcC) readAvcConfig(avcC, facts);
  const hvcC = child(entry, 'hvcC');
  if (hvcC) {
    facts.level = (numberField(hvcC, 'general_level_idc') ?? 0) / 30 || null;
    facts.bitDepth = (numberField(hvcC, 'bit_depth_luma_minus8') ?? 0) + 8;
    facts.chromaFormat = HEVC_CHROMA[numberField(hvcC, 'chroma_format_idc') ?? 1] ?? null;
  }
  return facts;
}

function readAvcConfig(avcC: ParsedBox, facts: VideoTrackFacts): void {
  const spsList = avcC.SPS;
  const firstSps = Array.isArray(spsList) ? (spsList[0] as { data?: unknown } | undefined)?.data : undefined;
  const sps = firstSps instanceof Uint8Array ? parseH264Sps(firstSps) : null;
  const profileIdc = sps?.profileIdc ?? numberField(avcC, 'AVCProfileIndication');
  const constraintFlags = sps?.constraintFlags ?? numberField(avcC, 'profile_compatibility') ?? 0;
  const levelIdc = sps?.levelIdc ?? numberField(avcC, 'AVCLevelIndication');
  if (profileIdc !== undefined) facts.profile = h264Profile(profileIdc, constraintFlags);
  if (profileIdc !== undefined && levelIdc !== undefined) facts.level = h264Level(profileIdc, constraintFlags, levelIdc);
  if (sps) {
    facts.bitDepth = Math.max(sps.bitDepthLuma, sps.bitDepthChroma);
    facts.chromaFormat = sps.chromaFormat;
  }
}

/** PQ (SMPTE 2084) or HLG transfer in an nclx colour box. */
function isHdrTransfer(colr: ParsedBox | undefined): boolean {
  const transfer = numberField(colr, 'transfer_characteristics');
  return transfer === 16 || transfer === 18;
}

/** Clockwise rotation from a tkhd matrix (16.16 fixed point), snapped to a quarter turn. */
export function rotationFromMatrix(matrix: readonly number[]): number {
  const a = matrix[0] ?? 65536;
  const b = matrix[1] ?? 0;
  if (a === 0 && b === 0) return 0;
  const degrees = (Math.atan2(b, a) * 180) / Math.PI;
  return ((Math.round(degrees / 90) * 90) % 360 + 360) % 360;
}

function displaySize(trak: ParsedBox, entry: ParsedBox | undefined, codedWidth: number, codedHeight: number, rotation: number) {
  const tkhd = child(trak, 'tkhd');
  const pasp = child(entry, 'pasp');
  const hSpacing = numberField(pasp, 'hSpacing') ?? 1;
  const vSpacing = numberField(pasp, 'vSpacing') ?? 1;
  // tkhd's size is the presentation size; fall back to the coded size and pixel aspect when it is absent.
  let width = Math.round((numberField(tkhd, 'width') ?? 0) / 65536);
  let height = Math.round((numberField(tkhd, 'height') ?? 0) / 65536);
  if (width === 0 || height === 0) {
    width = vSpacing > 0 ? Math.round((codedWidth * hSpacing) / vSpacing) : codedWidth;
    height = codedHeight;
  }
  return rotation % 180 === 0 ? { displayWidth: width, displayHeight: height } : { displayWidth: height, displayHeight: width };
}

function readAudio(trak: ParsedBox, entry: ParsedBox | undefined, moovBytes: Uint8Array, tables: SampleTableSummary | undefined): AudioTrackFacts {
  const tag = entry?.type ?? null;
  const mediaDuration = numberField(path(trak, 'mdia', 'mdhd'), 'duration') ?? 0;
  const facts: AudioTrackFacts = {
    trackId: numberField(child(trak, 'tkhd'), 'track_id') ?? 0,
    codec: (tag && AUDIO_CODECS[tag]) ?? tag ?? 'unknown',
    codecTag: tag,
    aacObjectType: null,
    channels: numberField(entry, 'channel_count') ?? null,
    sampleRate: numberField(entry, 'samplerate') ?? null,
    durationSeconds: mediaDuration > 0 ? mediaSeconds(trak, mediaDuration) : null,
    sampleDescriptions: sampleDescriptionsOf(tables),
  };
  const esds = child(entry, 'esds') ?? child(child(entry, 'wave'), 'esds') ?? findQuickTimeEsds(entry, moovBytes);
  const esd = esds?.esd as ParsedBox | undefined;
  if (esd) {
    const decoderConfig = findDescriptor(esd, 4);
    const objectTypeIndication = numberField(decoderConfig, 'oti');
    if (objectTypeIndication === 0x40 || (objectTypeIndication !== undefined && objectTypeIndication >= 0x66 && objectTypeIndication <= 0x68)) {
      facts.codec = 'aac';
      const specificInfo = findDescriptor(decoderConfig, 5)?.data;
      const config = specificInfo instanceof Uint8Array ? parseAacConfig(specificInfo) : null;
      facts.aacObjectType = config?.objectType ?? (objectTypeIndication === 0x67 ? 'LC' : null);
      facts.channels = config?.channels ?? facts.channels;
      facts.sampleRate = config?.sampleRate ?? facts.sampleRate;
    } else if (objectTypeIndication === 0x69 || objectTypeIndication === 0x6b) {
      facts.codec = 'mp3';
    } else if (objectTypeIndication === 0xa5) {
      facts.codec = 'ac3';
    }
  }
  return facts;
}

/**
 * QuickTime sound descriptions (version 1 and 2) keep the esds inside a 'wave' box after fields mp4box
 * does not read, so it leaves them unparsed. The esds is found in the entry's bytes and parsed alone.
 */
function findQuickTimeEsds(entry: ParsedBox | undefined, moovBytes: Uint8Array): ParsedBox | undefined {
  const start = numberField(entry, 'start');
  const size = numberField(entry, 'size');
  if (start === undefined || size === undefined || entry?.type !== 'mp4a') return undefined;
  const bytes = moovBytes.subarray(start, start + size);
  const at = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf('esds', 0, 'latin1') - 4;
  if (at < 0) return undefined;
  const esdsSize = new DataView(bytes.buffer, bytes.byteOffset + at, 4).getUint32(0);
  if (esdsSize < 12 || at + esdsSize > bytes.length) return undefined;
  try {
    return parseBox(bytes.subarray(at, at + esdsSize), 'esds', 8);
  } catch {
    return undefined;
  }
}

function findDescriptor(descriptor: ParsedBox | undefined, tag: number): ParsedBox | undefined {
  const children = descriptor?.descs;
  if (!Array.isArray(children)) return undefined;
  return (children as ParsedBox[]).find((candidate) => candidate.tag === tag);
}
