import { describe, expect, it } from 'vitest';
import { box, u32 } from './test-boxes.js';
import { readSampleDescriptions } from './read-sample-descriptions.js';

const avc1 = box('avc1', new Array<number>(78).fill(0), box('avcC', [1, 77, 0, 30, 0xff]));
const stsd = (count: number, ...entries: (Uint8Array | number[])[]) => box('stsd', [0, 0, 0, 0], u32(count), ...entries);

describe('readSampleDescriptions', () => {
  it('counts one entry', () => {
    expect(readSampleDescriptions(stsd(1, avc1))).toEqual({ count: 1, copiesOfFirst: true });
  });

  it('tells entries that repeat the first from entries that differ', () => {
    expect(readSampleDescriptions(stsd(3, avc1, avc1, avc1))).toEqual({ count: 3, copiesOfFirst: true });
    const other = Uint8Array.from(avc1);
    other[other.length - 1] = 0xfd;
    expect(readSampleDescriptions(stsd(2, avc1, other))).toEqual({ count: 2, copiesOfFirst: false });
  });

  it('counts entries it cannot walk as different', () => {
    expect(readSampleDescriptions(stsd(2, avc1))).toEqual({ count: 2, copiesOfFirst: false });
    expect(readSampleDescriptions(stsd(2, avc1, [0, 0, 0, 3, 0x61, 0x76, 0x63, 0x31]))).toEqual({ count: 2, copiesOfFirst: false });
  });

  it('is null without an entry', () => {
    expect(readSampleDescriptions(stsd(0))).toBeNull();
    expect(readSampleDescriptions(stsd(1))).toBeNull();
    expect(readSampleDescriptions(box('stsz', [0, 0, 0, 0], u32(1), avc1))).toBeNull();
  });
});
