import { describe, expect, it } from 'vitest';
import { h264Level, h264ProfileName, parseH264Sps, spsFrameSize } from './h264-sps.js';

// An SPS written by x264 for a 320x240 High-profile stream (level 1.3).
const HIGH_SPS = Uint8Array.from([
  0x67, 0x64, 0x00, 0x0d, 0xac, 0xd9, 0x41, 0x41, 0xfb, 0x01, 0x10, 0x00, 0x00, 0x03, 0x00, 0x10, 0x00, 0x00, 0x03, 0x03, 0x20,
  0xf1, 0x42, 0x99, 0x60,
]);

describe('parseH264Sps', () => {
  it('reads profile, level, chroma format and bit depth of a High profile SPS', () => {
    expect(parseH264Sps(HIGH_SPS)).toEqual({
      profileIdc: 100,
      constraintFlags: 0,
      levelIdc: 13,
      chromaFormat: '4:2:0',
      bitDepthLuma: 8,
      bitDepthChroma: 8,
    });
  });

  it('reads 4:4:4 and 10-bit from the chroma fields', () => {
    // profile 244, seq id 0 (1), chroma_format_idc 3 (00100), separate plane 0, luma depth-8 = 2 (011), chroma = 2 (011)
    const sps = Uint8Array.from([0x67, 0xf4, 0x00, 0x1e, 0b10010000, 0b11011000]);
    expect(parseH264Sps(sps)).toMatchObject({ profileIdc: 244, chromaFormat: '4:4:4', bitDepthLuma: 10, bitDepthChroma: 10 });
  });

  it('takes Baseline and Main as 8-bit 4:2:0 without reading further', () => {
    expect(parseH264Sps(Uint8Array.from([0x67, 0x42, 0xc0, 0x1e]))).toMatchObject({ profileIdc: 66, constraintFlags: 0xc0, chromaFormat: '4:2:0', bitDepthLuma: 8 });
  });

  it('returns null for a NAL that is not an SPS or ends early', () => {
    expect(parseH264Sps(Uint8Array.from([0x68, 0x64, 0x00, 0x0d]))).toBeNull();
    expect(parseH264Sps(Uint8Array.from([0x67, 0x64, 0x00]))).toBeNull();
    expect(parseH264Sps(Uint8Array.from([0x67, 0x64, 0x00, 0x0d, 0x00, 0x00]))).toBeNull();
  });
});

describe('spsFrameSize', () => {
  it('reads the cropped picture size of a whole SPS', () => {
    expect(spsFrameSize(HIGH_SPS)).toEqual({ width: 320, height: 240 });
  });

  it('names what is wrong with a damaged one: a field out of range, cropping past the picture, an early end', () => {
    // Zero bits where the Exp-Golomb fields are: a long code, a value past what its field allows.
    const tooManyRefs = Uint8Array.from(HIGH_SPS);
    tooManyRefs.set([0x00, 0x00, 0x20], 5);
    expect(spsFrameSize(tooManyRefs)).toMatch(/more than/);
    const cropped = Uint8Array.from(HIGH_SPS);
    cropped[5] = 0xff;
    expect(spsFrameSize(cropped)).toBe('its cropping leaves no picture');
    expect(spsFrameSize(HIGH_SPS.subarray(0, 7))).toBe('the NAL unit ends early');
    expect(spsFrameSize(Uint8Array.from([0x68, 0x64, 0x00, 0x0d]))).toBe('it is not a sequence parameter set');
  });
});

describe('h264ProfileName', () => {
  it.each([
    [66, 0x40, 'Constrained Baseline'],
    [66, 0x00, 'Baseline'],
    [77, 0x00, 'Main'],
    [100, 0x00, 'High'],
    [100, 0x0c, 'Constrained High'],
    [110, 0x00, 'High 10'],
    [122, 0x10, 'High 4:2:2 Intra'],
    [244, 0x00, 'High 4:4:4 Predictive'],
    [9, 0x00, 'profile 9'],
  ])('profile_idc %i with flags %i is %s', (idc, flags, name) => {
    expect(h264ProfileName(idc, flags)).toBe(name);
  });
});

describe('h264Level', () => {
  it('divides level_idc by ten and reports level 1b as 1.05', () => {
    expect(h264Level(77, 0, 31)).toBe(3.1);
    expect(h264Level(66, 0x10, 11)).toBe(1.05);
    expect(h264Level(100, 0, 9)).toBe(1.05);
    expect(h264Level(100, 0x10, 11)).toBe(1.1);
  });
});
