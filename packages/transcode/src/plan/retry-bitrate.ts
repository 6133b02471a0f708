import type { EncodeBudget } from './size-budget.js';

export interface RetryRequest {
  budget: EncodeBudget;
  durationSeconds: number;
  /** Size of the attempt that came out over the cap. */
  actualBytes: number;
}

/** Aim a little lower on the retry than the first time: the encoder missed once, on this very clip. */
const RETRY_MARGIN = 0.97;

/**
 * The video bitrate for the next attempt after an output came out too big: the video's share of the
 * overshoot is scaled away, with a margin. Audio and container bytes are taken as predicted. Pure.
 */
export function nextVideoBitrate(request: RetryRequest): number {
  const { budget, durationSeconds, actualBytes } = request;
  const fixedBytes = (budget.audioBitrate * durationSeconds) / 8 + budget.containerBytes;
  const wantedVideoBytes = budget.targetBytes - fixedBytes;
  const gotVideoBytes = Math.max(1, actualBytes - fixedBytes);
  return Math.floor(budget.videoBitrate * (wantedVideoBytes / gotVideoBytes) * RETRY_MARGIN);
}
