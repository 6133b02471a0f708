import type { SampleDescriptions } from '../media-facts.js';

/**
 * What the probe keeps of a track's large sample tables (stsz, stco/co64, stsc): counts and the last
 * chunk. Reading these tables whole would cost 100 KB and more on a long clip; their ends are enough.
 */
export interface SampleTableSummary {
  sampleCount: number;
  /** stsz's constant size, or 0 when sizes are listed. */
  constantSampleSize: number;
  /** The sizes of the last samples (as many as the last chunk holds), when sizes are listed. */
  lastSampleSizes: number[];
  chunkCount: number;
  lastChunkOffset: number;
  /** Samples per chunk in stsc's last run, which covers the last chunk. */
  samplesInLastChunk: number;
  /** The first entries of the tables, enough to find the first few samples. */
  heads?: TableHeads;
  /** Media time the track's edit list starts at (-1: it starts with an empty edit), when it has one. */
  firstEditMediaTime?: number;
  /** The entries of the track's stsd, which the moov copy cuts to the first; absent without an stsd. */
  sampleDescriptions?: SampleDescriptions;
}

/** The first entries of stco/co64, stsc and stsz. */
export interface TableHeads {
  chunkOffsets: number[];
  /** stsc runs: from `firstChunk` (1-based) on, chunks hold `samplesPerChunk` samples coded with stsd entry `sampleDescription` (1-based). */
  chunkRuns: { firstChunk: number; samplesPerChunk: number; sampleDescription: number }[];
  /** Listed sample sizes; empty when stsz gives a constant size. */
  sampleSizes: number[];
}

/**
 * Where the first `count` samples lie (fewer when the table heads run out): chunk by chunk, each
 * chunk's samples back to back from its offset.
 */
export function firstSampleLocations(summary: SampleTableSummary, count: number): { offset: number; size: number }[] {
  const heads = summary.heads;
  if (!heads) return [];
  const wanted = Math.min(count, summary.sampleCount);
  const locations: { offset: number; size: number }[] = [];
  let run = 0;
  for (let chunk = 1; chunk <= heads.chunkOffsets.length && locations.length < wanted; chunk++) {
    while ((heads.chunkRuns[run + 1]?.firstChunk ?? Infinity) <= chunk) run++;
    const perChunk = heads.chunkRuns[run]?.samplesPerChunk ?? 0;
    if (perChunk === 0 || (heads.chunkRuns[run]?.firstChunk ?? Infinity) > chunk) break;
    let offset = heads.chunkOffsets[chunk - 1] ?? 0;
    for (let i = 0; i < perChunk && locations.length < wanted; i++) {
      const size = summary.constantSampleSize || heads.sampleSizes[locations.length];
      if (size === undefined) return locations;
      locations.push({ offset, size });
      offset += size;
    }
  }
  return locations;
}

/**
 * Where the sample data of a track ends: the last chunk's offset plus the sizes of the samples in it.
 * Muxers write chunks in file order, so the last chunk ends furthest; past the file size means the file
 * was cut short.
 */
export function lastChunkEnd(summary: SampleTableSummary): number {
  if (summary.chunkCount === 0 || summary.sampleCount === 0) return 0;
  const samples = Math.min(summary.samplesInLastChunk, summary.sampleCount);
  const bytes =
    summary.constantSampleSize > 0
      ? samples * summary.constantSampleSize
      : summary.lastSampleSizes.slice(-samples).reduce((sum, size) => sum + size, 0);
  return summary.lastChunkOffset + bytes;
}
