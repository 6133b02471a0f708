import type { AacObjectType } from '../media-facts.js';

export interface AacConfig {
  objectType: AacObjectType;
  sampleRate: number | null;
  channels: number | null;
}

const SAMPLE_RATES = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];

const OBJECT_TYPES: Partial<Record<number, AacObjectType>> = { 1: 'Main', 2: 'LC', 3: 'SSR', 4: 'LTP', 5: 'HE', 29: 'HEv2' };

/** Reads an AudioSpecificConfig (ISO 14496-3 1.6.2.1): the object type, core sample rate and channel configuration. */
export function parseAacConfig(bytes: Uint8Array): AacConfig | null {
  if (bytes.length < 2) return null;
  let bit = 0;
  const read = (count: number): number => {
    let value = 0;
    for (let i = 0; i < count; i++) {
      const byte = bytes[bit >> 3];
      if (byte === undefined) throw new RangeError('AudioSpecificConfig ends early');
      value = value * 2 + ((byte >> (7 - (bit & 7))) & 1);
      bit++;
    }
    return value;
  };
  try {
    let objectTypeId = read(5);
    if (objectTypeId === 31) objectTypeId = 32 + read(6);
    const rateIndex = read(4);
    const sampleRate = rateIndex === 15 ? read(24) : (SAMPLE_RATES[rateIndex] ?? null);
    const channelConfig = read(4);
    return {
      objectType: OBJECT_TYPES[objectTypeId] ?? 'other',
      sampleRate,
      channels: channelConfig === 0 ? null : channelConfig === 7 ? 8 : channelConfig,
    };
  } catch {
    return null;
  }
}
