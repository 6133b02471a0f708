import type { ChromaFormat, H264Profile } from '../media-facts.js';

/** The fields of an H.264 sequence parameter set the compliance rules depend on. */
export interface H264SpsFacts {
  profileIdc: number;
  constraintFlags: number;
  levelIdc: number;
  chromaFormat: ChromaFormat;
  bitDepthLuma: number;
  bitDepthChroma: number;
}

/** Profiles whose SPS carries chroma format and bit depth (H.264 7.3.2.1.1). */
const PROFILES_WITH_CHROMA_INFO = new Set([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135]);
const CHROMA_FORMATS: readonly ChromaFormat[] = ['4:0:0', '4:2:0', '4:2:2', '4:4:4'];

/** Removes emulation-prevention bytes (00 00 03 -> 00 00) so the RBSP can be read bit by bit. */
export function toRbsp(nal: Uint8Array): Uint8Array {
  const out = new Uint8Array(nal.length);
  let length = 0;
  let zeros = 0;
  for (const byte of nal) {
    if (zeros >= 2 && byte === 3) {
      zeros = 0;
      continue;
    }
    zeros = byte === 0 ? zeros + 1 : 0;
    out[length++] = byte;
  }
  return out.subarray(0, length);
}

export class BitReader {
  private bit = 0;
  constructor(private readonly bytes: Uint8Array) {}

  readBit(): number {
    const byte = this.bytes[this.bit >> 3];
    if (byte === undefined) throw new RangeError('the NAL unit ends early');
    const value = (byte >> (7 - (this.bit & 7))) & 1;
    this.bit++;
    return value;
  }

  readBits(count: number): number {
    let value = 0;
    for (let i = 0; i < count; i++) value = value * 2 + this.readBit();
    return value;
  }

  /** Signed Exp-Golomb code. */
  readSe(): number {
    const code = this.readUe();
    return code % 2 === 1 ? (code + 1) / 2 : -code / 2;
  }

  /** Unsigned Exp-Golomb code. */
  readUe(): number {
    let leadingZeros = 0;
    while (this.readBit() === 0) {
      if (++leadingZeros > 31) throw new RangeError('the NAL unit has an invalid Exp-Golomb code');
    }
    let value = 0;
    for (let i = 0; i < leadingZeros; i++) value = value * 2 + this.readBit();
    return 2 ** leadingZeros - 1 + value;
  }
}

/** Parses an SPS NAL unit (with its one-byte NAL header). Returns null when it is not a readable SPS. */
export function parseH264Sps(nal: Uint8Array): H264SpsFacts | null {
  if (nal.length < 4 || ((nal[0] ?? 0) & 0x1f) !== 7) return null;
  const rbsp = toRbsp(nal.subarray(1));
  const [profileIdc = 0, constraintFlags = 0, levelIdc = 0] = rbsp;
  const facts: H264SpsFacts = { profileIdc, constraintFlags, levelIdc, chromaFormat: '4:2:0', bitDepthLuma: 8, bitDepthChroma: 8 };
  if (!PROFILES_WITH_CHROMA_INFO.has(profileIdc)) return facts;
  try {
    const bits = new BitReader(rbsp.subarray(3));
    bits.readUe(); // seq_parameter_set_id
    const chromaFormatIdc = bits.readUe();
    if (chromaFormatIdc === 3) bits.readBit(); // separate_colour_plane_flag
    facts.chromaFormat = CHROMA_FORMATS[chromaFormatIdc] ?? '4:2:0';
    facts.bitDepthLuma = bits.readUe() + 8;
    facts.bitDepthChroma = bits.readUe() + 8;
  } catch {
    return null;
  }
  return facts;
}

/** The picture size an SPS gives, after cropping. */
export interface SpsFrameSize {
  width: number;
  height: number;
}

/** A field of an SPS read as unsigned Exp-Golomb, checked against the largest value H.264 allows (7.4.2.1.1). */
function boundedUe(bits: BitReader, name: string, max: number): number {
  const value = bits.readUe();
  if (value > max) throw new RangeError(`its ${name} is ${value}, more than ${max}`);
  return value;
}

/** Skips a scaling list (H.264 7.3.2.1.1.1): only its delta_scale codes, which end early once a scale is 0. */
function skipScalingList(bits: BitReader, size: number): void {
  let last = 8;
  let next = 8;
  for (let j = 0; j < size; j++) {
    if (next !== 0) {
      const delta = bits.readSe();
      if (delta < -128 || delta > 127) throw new RangeError('a scaling list of its SPS is damaged');
      next = (last + delta + 256) % 256;
    }
    last = next === 0 ? last : next;
  }
}

/**
 * Reads an SPS (with its NAL header) field by field up to the picture size and cropping, checking each
 * field's range as a decoder does, and returns the cropped picture size, or what is wrong. A few dozen
 * bits, not a decode: it catches the damaged parameter sets that make a decoder refuse every frame.
 */
export function spsFrameSize(nal: Uint8Array): SpsFrameSize | string {
  if (nal.length < 4 || ((nal[0] ?? 0) & 0x1f) !== 7) return 'it is not a sequence parameter set';
  const rbsp = toRbsp(nal.subarray(1));
  const profileIdc = rbsp[0] ?? 0;
  try {
    const bits = new BitReader(rbsp.subarray(3));
    boundedUe(bits, 'seq_parameter_set_id', 31);
    let chromaFormatIdc = 1;
    let separatePlanes = false;
    if (PROFILES_WITH_CHROMA_INFO.has(profileIdc)) {
      chromaFormatIdc = boundedUe(bits, 'chroma_format_idc', 3);
      if (chromaFormatIdc === 3) separatePlanes = bits.readBit() === 1;
      boundedUe(bits, 'bit_depth_luma_minus8', 6);
      boundedUe(bits, 'bit_depth_chroma_minus8', 6);
      bits.readBit(); // qpprime_y_zero_transform_bypass_flag
      if (bits.readBit() === 1) {
        for (let i = 0; i < (chromaFormatIdc === 3 ? 12 : 8); i++) if (bits.readBit() === 1) skipScalingList(bits, i < 6 ? 16 : 64);
      }
    }
    boundedUe(bits, 'log2_max_frame_num_minus4', 12);
    const pocType = boundedUe(bits, 'pic_order_cnt_type', 2);
    if (pocType === 0) boundedUe(bits, 'log2_max_pic_order_cnt_lsb_minus4', 12);
    else if (pocType === 1) {
      bits.readBit(); // delta_pic_order_always_zero_flag
      bits.readSe(); // offset_for_non_ref_pic
      bits.readSe(); // offset_for_top_to_bottom_field
      const cycle = boundedUe(bits, 'num_ref_frames_in_pic_order_cnt_cycle', 255);
      for (let i = 0; i < cycle; i++) bits.readSe();
    }
    boundedUe(bits, 'max_num_ref_frames', 16);
    bits.readBit(); // gaps_in_frame_num_value_allowed_flag
    const widthInMbs = boundedUe(bits, 'pic_width_in_mbs_minus1', 1023) + 1;
    const heightInMapUnits = boundedUe(bits, 'pic_height_in_map_units_minus1', 1023) + 1;
    const frameMbsOnly = bits.readBit() === 1;
    if (!frameMbsOnly) bits.readBit(); // mb_adaptive_frame_field_flag
    bits.readBit(); // direct_8x8_inference_flag
    const width = widthInMbs * 16;
    const height = (frameMbsOnly ? 1 : 2) * heightInMapUnits * 16;
    if (bits.readBit() === 0) return { width, height };
    const [left, right, top, bottom] = [bits.readUe(), bits.readUe(), bits.readUe(), bits.readUe()];
    const monochromeOrPlanes = chromaFormatIdc === 0 || separatePlanes;
    const cropX = monochromeOrPlanes || chromaFormatIdc === 3 ? 1 : 2;
    const cropY = (monochromeOrPlanes || chromaFormatIdc !== 1 ? 1 : 2) * (frameMbsOnly ? 1 : 2);
    const cropped = { width: width - cropX * (left + right), height: height - cropY * (top + bottom) };
    if (cropped.width <= 0 || cropped.height <= 0) return 'its cropping leaves no picture';
    return cropped;
  } catch (error) {
    return error instanceof RangeError ? error.message : 'it is damaged';
  }
}

/** The profile's usual name, with the constrained and intra variants the constraint flags select. */
export function h264ProfileName(profileIdc: number, constraintFlags: number): string {
  const set1 = (constraintFlags & 0x40) !== 0;
  const set3 = (constraintFlags & 0x10) !== 0;
  const set4 = (constraintFlags & 0x08) !== 0;
  const set5 = (constraintFlags & 0x04) !== 0;
  switch (profileIdc) {
    case 66:
      return set1 ? 'Constrained Baseline' : 'Baseline';
    case 77:
      return 'Main';
    case 88:
      return 'Extended';
    case 100:
      if (set4 && set5) return 'Constrained High';
      return set4 ? 'Progressive High' : 'High';
    case 110:
      return set3 ? 'High 10 Intra' : 'High 10';
    case 122:
      return set3 ? 'High 4:2:2 Intra' : 'High 4:2:2';
    case 244:
      return set3 ? 'High 4:4:4 Intra' : 'High 4:4:4 Predictive';
    case 44:
      return 'CAVLC 4:4:4 Intra';
    default:
      return `profile ${profileIdc}`;
  }
}

export function h264Profile(profileIdc: number, constraintFlags: number): H264Profile {
  return { name: h264ProfileName(profileIdc, constraintFlags), idc: profileIdc, constraintFlags };
}

/** level_idc as a number; level 1b (level_idc 11 with constraint_set3 in Baseline/Main) is 1.05. */
export function h264Level(profileIdc: number, constraintFlags: number, levelIdc: number): number {
  if (levelIdc === 11 && (constraintFlags & 0x10) !== 0 && (profileIdc === 66 || profileIdc === 77)) return 1.05;
  if (levelIdc === 9) return 1.05;
  return levelIdc / 10;
}
