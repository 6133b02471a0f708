import { describe, expect, it } from 'vitest';
import { lastChunkEnd } from './sample-tables.js';

describe('lastChunkEnd', () => {
  it('adds the sizes of the samples in the last chunk to its offset', () => {
    expect(lastChunkEnd({ sampleCount: 10, constantSampleSize: 0, lastSampleSizes: [7, 100, 200], chunkCount: 4, lastChunkOffset: 5000, samplesInLastChunk: 2 })).toBe(5300);
  });

  it('uses a constant sample size', () => {
    expect(lastChunkEnd({ sampleCount: 10, constantSampleSize: 4, lastSampleSizes: [], chunkCount: 2, lastChunkOffset: 100, samplesInLastChunk: 5 })).toBe(120);
  });

  it('never counts more samples than the track has', () => {
    expect(lastChunkEnd({ sampleCount: 1, constantSampleSize: 10, lastSampleSizes: [], chunkCount: 1, lastChunkOffset: 0, samplesInLastChunk: 1000 })).toBe(10);
  });

  it('is 0 for an empty track', () => {
    expect(lastChunkEnd({ sampleCount: 0, constantSampleSize: 0, lastSampleSizes: [], chunkCount: 0, lastChunkOffset: 0, samplesInLastChunk: 0 })).toBe(0);
  });
});
