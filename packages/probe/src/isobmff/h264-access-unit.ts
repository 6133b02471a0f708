import { BitReader, toRbsp } from './h264-sps.js';

/** What the stream's avcC says about how samples are framed and which parameter sets exist. */
export interface AvcConfig {
  /** Bytes of each NAL unit's length prefix in a sample: 1, 2 or 4. */
  nalLengthSize: number;
  spsList: Uint8Array[];
  ppsIds: number[];
}

/**
 * Reads an AVCDecoderConfigurationRecord (ISO 14496-15 5.3.3.1), checking what a decoder needs of it:
 * version 1, a length size of 1, 2 or 4 bytes, and parameter sets that fit and are SPS and PPS NAL
 * units. `inBand` (avc3) allows parameter sets to come with the samples instead.
 */
export function parseAvcConfig(bytes: Uint8Array, inBand: boolean): AvcConfig | string {
  if (bytes.length < 7) return 'its avcC is too short';
  if (bytes[0] !== 1) return `its avcC has version ${bytes[0] ?? 0}, not 1`;
  const nalLengthSize = ((bytes[4] ?? 0) & 3) + 1;
  if (nalLengthSize === 3) return 'its avcC gives NAL units a 3-byte length, which H.264 in MP4 does not allow';
  const spsList: Uint8Array[] = [];
  const ppsList: Uint8Array[] = [];
  let at = 5;
  for (const [list, count, type] of [[spsList, (bytes[5] ?? 0) & 0x1f, 7], [ppsList, -1, 8]] as const) {
    let sets = count;
    if (sets < 0) sets = bytes[at++] ?? 0;
    else at++;
    for (let i = 0; i < sets; i++) {
      const length = ((bytes[at] ?? 0) << 8) | (bytes[at + 1] ?? 0);
      const nal = bytes.subarray(at + 2, at + 2 + length);
      if (at + 2 + length > bytes.length || length === 0) return 'a parameter set in its avcC runs past the box';
      if (((nal[0] ?? 0) & 0x9f) !== type) return `its avcC lists a NAL unit of type ${(nal[0] ?? 0) & 0x1f} where a ${type === 7 ? 'sequence' : 'picture'} parameter set belongs`;
      list.push(nal);
      at += 2 + length;
    }
  }
  if (!inBand && (spsList.length === 0 || ppsList.length === 0)) return 'its avcC holds no sequence or no picture parameter set';
  const ppsIds: number[] = [];
  for (const pps of ppsList) {
    const id = firstUe(pps);
    if (id === null || id > 255) return 'a picture parameter set in its avcC is damaged';
    ppsIds.push(id);
  }
  return { nalLengthSize, spsList, ppsIds };
}

/** Slice types as H.264 numbers them (slice_type % 5). */
const SLICE_TYPES = ['P', 'B', 'I', 'SP', 'SI'] as const;
export type SliceType = (typeof SLICE_TYPES)[number];

/** NAL unit types that can appear in an access unit (H.264 table 7-1); 0, 16-18 and 21-31 are not H.264 pictures. */
const ACCESS_UNIT_NAL_TYPES = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 19, 20]);
/** NAL units looked at per sample before giving up on finding its first slice. */
const MAX_NALS = 16;
/** Bytes read at each NAL unit: its length prefix, header and the start of a slice header. */
const NAL_PEEK_BYTES = 32;

export type SampleStart = { ok: true; sliceType: SliceType | null } | { ok: false; problem: string };

/**
 * Reads the NAL units at the start of one sample, a few bytes each: every length prefix must stay
 * inside the sample, every header must have the forbidden bit clear and a type an access unit holds,
 * and the first slice must refer to a picture parameter set the stream has. Not a decode: a sample
 * that passes can still be damaged further in, but one that fails cannot be decoded.
 */
export async function readSampleStart(
  read: (offset: number, length: number) => Promise<Uint8Array>,
  sample: { offset: number; size: number },
  config: AvcConfig,
): Promise<SampleStart> {
  const { nalLengthSize } = config;
  const ppsIds = new Set(config.ppsIds);
  const end = sample.offset + sample.size;
  let at = sample.offset;
  for (let count = 0; count < MAX_NALS && at < end; count++) {
    if (end - at < nalLengthSize + 1) return { ok: false, problem: 'a NAL unit length runs past the end of the sample' };
    const bytes = await read(at, Math.min(nalLengthSize + NAL_PEEK_BYTES, end - at));
    if (bytes.length < nalLengthSize + 1) return { ok: false, problem: 'the sample lies past the end of the file' };
    let length = 0;
    for (let i = 0; i < nalLengthSize; i++) length = length * 256 + (bytes[i] ?? 0);
    if (length === 0 || at + nalLengthSize + length > end) return { ok: false, problem: `a NAL unit of ${length} bytes does not fit the sample's ${sample.size} bytes` };
    const header = bytes[nalLengthSize] ?? 0;
    const type = header & 0x1f;
    if ((header & 0x80) !== 0) return { ok: false, problem: 'a NAL unit has its forbidden bit set' };
    if (!ACCESS_UNIT_NAL_TYPES.has(type)) return { ok: false, problem: `it holds a NAL unit of type ${type}, which is not part of an H.264 picture` };
    const payload = bytes.subarray(nalLengthSize + 1);
    if (type === 8) {
      const id = firstUe(payload, 0);
      if (id !== null) ppsIds.add(id);
    }
    if (type === 1 || type === 5) {
      const slice = readSliceHeader(payload);
      if (!slice) return { ok: false, problem: 'its first slice header is damaged' };
      if (!ppsIds.has(slice.ppsId)) return { ok: false, problem: `its first slice refers to picture parameter set ${slice.ppsId}, which the stream does not have` };
      return { ok: true, sliceType: slice.type };
    }
    at += nalLengthSize + length;
  }
  if (at >= end) return { ok: false, problem: 'the sample holds no picture (no slice NAL unit)' };
  return { ok: true, sliceType: null };
}

function readSliceHeader(payload: Uint8Array): { type: SliceType; ppsId: number } | null {
  try {
    const bits = new BitReader(toRbsp(payload));
    bits.readUe(); // first_mb_in_slice
    const sliceType = bits.readUe();
    const ppsId = bits.readUe();
    const type = SLICE_TYPES[sliceType % 5];
    if (sliceType > 9 || !type || ppsId > 255) return null;
    return { type, ppsId };
  } catch {
    return null;
  }
}

/** The first Exp-Golomb number of a NAL unit's payload (after its header byte unless `skip` says otherwise). */
function firstUe(nal: Uint8Array, skip = 1): number | null {
  try {
    return new BitReader(toRbsp(nal.subarray(skip))).readUe();
  } catch {
    return null;
  }
}
