import type { ByteReader } from '../byte-reader.js';
import type { TopLevelBox, UnreadableProblem, VideoTrackFacts } from '../media-facts.js';
import { parseAvcConfig, readSampleStart, type SliceType } from './h264-access-unit.js';
import { parseH264Sps, spsFrameSize } from './h264-sps.js';
import { child, numberField, path, type ParsedBox } from './parse-box.js';

/** What the first samples of the first video track are checked against. */
export interface FirstSamplesInput {
  trak: ParsedBox;
  video: VideoTrackFacts;
  /** The first samples in decode order, as the index (stbl or trun) places them. */
  samples: readonly { offset: number; size: number }[];
  /** The moov the trak was parsed from: the avcC is read from its bytes. */
  moovBytes: Uint8Array;
  topLevelBoxes: readonly TopLevelBox[];
}

/**
 * Checks that an H.264 track can start playing: its avcC is well formed, the first sample lies inside
 * the media data where the index says, and it starts like an access unit for the stream's parameter
 * sets (a few bytes per NAL unit, not a decode). Returns what is wrong, or null.
 *
 * B-frames: a table of composition offsets can be emptied or zeroed while the stream keeps them, so
 * when the table shows none and the profile allows them (anything but Baseline), the slice types of
 * the first samples decide. Finding no slice type at all leaves the answer unknown.
 */
export async function checkFirstSamples(reader: ByteReader, input: FirstSamplesInput): Promise<UnreadableProblem | null> {
  const { trak, video, samples, moovBytes, topLevelBoxes } = input;
  if (video.codec !== 'h264' || video.sampleCount === 0) return null;
  const corrupt = (message: string): UnreadableProblem => ({ reason: 'corrupt', message: `the video cannot be decoded: ${message}` });
  const entries = child(path(trak, 'mdia', 'minf', 'stbl'), 'stsd')?.entries;
  const entry = Array.isArray(entries) ? (entries[0] as ParsedBox | undefined) : undefined;
  const avcC = child(entry, 'avcC');
  const start = numberField(avcC, 'start');
  const size = numberField(avcC, 'size');
  const headerSize = numberField(avcC, 'hdr_size') ?? 8;
  if (start === undefined || size === undefined) return corrupt('its H.264 sample entry has no avcC box');
  const config = parseAvcConfig(moovBytes.subarray(start + headerSize, start + size), entry?.type === 'avc3');
  if (typeof config === 'string') return corrupt(config);
  const firstSps = config.spsList[0];
  if (firstSps) {
    if (!parseH264Sps(firstSps)) return corrupt('the sequence parameter set in its avcC is damaged');
    const frame = spsFrameSize(firstSps);
    if (typeof frame === 'string') return corrupt(`the sequence parameter set in its avcC is damaged: ${frame}`);
    // The sample entry states the size too; a damaged SPS rarely still agrees with it (MB-aligned or cropped).
    const agrees = (coded: number, cropped: number) => coded === 0 || coded === cropped || coded === Math.ceil(cropped / 16) * 16;
    if (!agrees(video.codedWidth, frame.width) || !agrees(video.codedHeight, frame.height)) {
      return corrupt(`its sequence parameter set gives ${frame.width}x${frame.height} pixels, its sample entry ${video.codedWidth}x${video.codedHeight}`);
    }
  }

  const first = samples[0];
  if (!first) return corrupt('the first video sample cannot be located from the sample tables');
  if (!liesInMediaData(first, topLevelBoxes)) return corrupt(`the index puts the first video sample at byte ${first.offset}, outside the media data`);
  const read = (offset: number, length: number) => reader.read(offset, length);
  const opening = await readSampleStart(read, first, config);
  if (!opening.ok) return corrupt(`the first video sample does not start like an H.264 picture: ${opening.problem}`);

  if (video.bFrames !== true && video.profile !== null && video.profile.idc !== 66) {
    const types: SliceType[] = opening.sliceType ? [opening.sliceType] : [];
    for (const sample of samples.slice(1)) {
      const result = await readSampleStart(read, sample, config);
      if (!result.ok) break;
      if (result.sliceType) types.push(result.sliceType);
      if (result.sliceType === 'B') break;
    }
    if (types.includes('B')) video.bFrames = true;
    else if (types.length === 0) video.bFrames = null;
  }
  return null;
}

/** Whether a sample lies inside the payload of an mdat: past its header (16 bytes for a 64-bit size) and before its end. */
export function liesInMediaData(sample: { offset: number; size: number }, topLevelBoxes: readonly TopLevelBox[]): boolean {
  return topLevelBoxes.some((box) => box.type === 'mdat' && sample.offset >= box.offset + box.headerSize && sample.offset + sample.size <= box.offset + box.size);
}
