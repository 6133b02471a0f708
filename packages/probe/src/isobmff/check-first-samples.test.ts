import { describe, expect, it } from 'vitest';
import { liesInMediaData } from './check-first-samples.js';

describe('liesInMediaData', () => {
  const mdat32 = { type: 'mdat', offset: 1000, size: 5000, headerSize: 8 };
  const mdat64 = { type: 'mdat', offset: 1000, size: 5000, headerSize: 16 };

  it('takes a sample that starts right after a 32-bit mdat header', () => {
    expect(liesInMediaData({ offset: 1008, size: 100 }, [mdat32])).toBe(true);
  });

  it('refuses a sample inside the largesize field of a 64-bit mdat header', () => {
    expect(liesInMediaData({ offset: 1008, size: 100 }, [mdat64])).toBe(false);
    expect(liesInMediaData({ offset: 1016, size: 100 }, [mdat64])).toBe(true);
  });

  it('refuses a sample that runs past the end of the mdat or lies in another box', () => {
    expect(liesInMediaData({ offset: 5900, size: 200 }, [mdat32])).toBe(false);
    expect(liesInMediaData({ offset: 100, size: 10 }, [{ type: 'moov', offset: 0, size: 1000, headerSize: 8 }, mdat32])).toBe(false);
  });
});
