import { describe, expect, it } from 'vitest';
import { parseAacConfig } from './aac-config.js';

describe('parseAacConfig', () => {
  it('reads AAC-LC, 44.1 kHz, mono', () => {
    expect(parseAacConfig(Uint8Array.from([0x12, 0x08]))).toEqual({ objectType: 'LC', sampleRate: 44100, channels: 1 });
  });

  it('reads explicit HE-AAC (object type 5) and HE-AACv2 (29)', () => {
    expect(parseAacConfig(Uint8Array.from([0x2b, 0x10]))).toEqual({ objectType: 'HE', sampleRate: 24000, channels: 2 });
    expect(parseAacConfig(Uint8Array.from([0xeb, 0x10]))).toEqual({ objectType: 'HEv2', sampleRate: 24000, channels: 2 });
  });

  it('reads an explicit sample rate and the 7.1 channel configuration', () => {
    // LC (00010), index 15 (1111), rate 22050 in 24 bits, channel config 7 (0111)
    const bits = '00010' + '1111' + (22050).toString(2).padStart(24, '0') + '0111';
    const bytes = Uint8Array.from((bits.padEnd(40, '0').match(/.{8}/g) ?? []).map((byte) => parseInt(byte, 2)));
    expect(parseAacConfig(bytes)).toEqual({ objectType: 'LC', sampleRate: 22050, channels: 8 });
  });

  it('returns null for a config that is too short', () => {
    expect(parseAacConfig(Uint8Array.from([0x12]))).toBeNull();
    expect(parseAacConfig(Uint8Array.from([0x17, 0x80]))).toBeNull();
  });
});
