import { availableParallelism } from 'node:os';

const CORES = availableParallelism();

/**
 * Files side by side with one x264 thread each beat one file at a time with every thread: on 2 cores,
 * four 10 s 720p transcodes took 21.7 s at 2 x 1 thread, 24.4 s at 1 x 2 threads, 25.5 s at 2 x 2 threads.
 * Decoding, audio, muxing and probing do not spread over x264's threads; separate files fill those gaps.
 * So a file per core, up to 8 (beyond that, memory for 1080p encodes matters more than cores).
 */
export const DEFAULT_CONCURRENCY = Math.max(1, Math.min(8, CORES));

/**
 * Files probed at once by a check: reading headers waits on the disk more than on a core, so twice the
 * cores, and at least four.
 */
export const DEFAULT_CHECK_CONCURRENCY = Math.max(4, CORES * 2);

/** x264 threads per encode: the cores shared between the files running at once, at least one. */
export function x264ThreadsFor(concurrency: number, cores = CORES): number {
  return Math.max(1, Math.floor(cores / concurrency));
}
