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
