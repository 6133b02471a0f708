import { describe, expect, it } from 'vitest';
import { frameTiming, hasReorderedFrames, sampleDataEnd } from './sample-timing.js';

const runs = (...pairs: [number, number][]) => ({ counts: pairs.map(([count]) => count), values: pairs.map(([, value]) => value) });

describe('hasReorderedFrames', () => {
  it('finds the reordering of an I P B B group (x264 with B-frames)', () => {
    // Decode order I P B B with offsets 2, 4, 1, 1 (x512): P is shown after both Bs.
    const offsets = runs([1, 1024], [1, 2048], [1, 0], [1, 512], [1, 1024]);
    expect(hasReorderedFrames(runs([5, 512]), offsets)).toBe(true);
  });

  it('does not take a constant composition offset for B-frames', () => {
    expect(hasReorderedFrames(runs([100, 512]), runs([100, 1024]))).toBe(false);
  });

  it('is false without composition offsets', () => {
    expect(hasReorderedFrames(runs([100, 512]), null)).toBe(false);
  });

  it('is false when offsets grow, even in steps', () => {
    expect(hasReorderedFrames(runs([10, 512]), runs([5, 0], [5, 512]))).toBe(false);
  });

  it('answers at once for tables that claim billions of samples', () => {
    const started = performance.now();
    expect(hasReorderedFrames(runs([4_000_000_000, 1]), runs([4_000_000_000, 2]))).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('frameTiming', () => {
  it('counts samples and duration of a constant-rate track', () => {
    expect(frameTiming(runs([49, 512], [1, 300]))).toEqual({ sampleCount: 50, totalDuration: 49 * 512 + 300, variableFrameRate: false });
  });

  it('takes 33/34 ms rounding for a constant rate', () => {
    expect(frameTiming(runs([1, 33], [1, 34], [1, 33], [1, 33], [1, 34], [1, 33])).variableFrameRate).toBe(false);
  });

  it('flags durations that alternate between 40 and 80 ms', () => {
    expect(frameTiming(runs([1, 40], [1, 80], [1, 40], [1, 80], [1, 40], [1, 80], [1, 40])).variableFrameRate).toBe(true);
  });

  it('ignores an odd first frame', () => {
    expect(frameTiming(runs([1, 810], [48, 512])).variableFrameRate).toBe(false);
  });
});

describe('sampleDataEnd', () => {
  it('adds the sizes of each chunk to its offset and takes the furthest end', () => {
    const end = sampleDataEnd({
      firstChunks: [1, 3],
      samplesPerChunk: [2, 1],
      constantSampleSize: 0,
      sampleSizes: [10, 20, 30, 40, 50],
      sampleCount: 5,
      chunkOffsets: [100, 200, 1000, 150],
    });
    // chunk 1: 10+20 at 100; chunk 2: 30+40 at 200; chunk 3: 50 at 1000; chunk 4: no samples left
    expect(end).toBe(1050);
  });

  it('uses a constant sample size', () => {
    expect(sampleDataEnd({ firstChunks: [1], samplesPerChunk: [4], constantSampleSize: 100, sampleSizes: [], sampleCount: 8, chunkOffsets: [0, 5000] })).toBe(5400);
  });
});
