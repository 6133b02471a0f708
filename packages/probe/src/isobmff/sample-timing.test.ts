import { describe, expect, it } from 'vitest';
import { frameTiming, hasReorderedFrames } from './sample-timing.js';

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
