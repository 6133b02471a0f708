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
