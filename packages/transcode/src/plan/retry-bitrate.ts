import { h264LevelFor } from './h264-level.js';
import { MAX_BITS_PER_PIXEL, type EncodeBudget } from './size-budget.js';

export interface RetryRequest {
  budget: EncodeBudget;
  /** Size of the attempt that missed: over the cap, or far under it. */
  actualBytes: number;
}

/** Aim a little lower on the retry than the first time: the encoder missed once, on this very clip. */
const RETRY_MARGIN = 0.97;
/**
 * An output under this share of the cap is encoded again at a higher bitrate: the cap is the quality
 * budget. One-pass x264 falls short by up to a tenth on clips of a minute or so.
 */
export const MIN_CAP_SHARE = 0.9;
/** Level 4.1's peak rate, as the budget allows it (peaks at twice the average). */
const MAX_VIDEO_BITRATE = 25_000_000;

/**
 * The video bitrate for the next attempt after an output missed its target: the video's share of the
 * miss is scaled away (with a margin when it was over). Audio and container bytes are taken as predicted. Pure.
 */
export function nextVideoBitrate(request: RetryRequest): number {
  const { budget, actualBytes } = request;
  const fixedBytes = budget.audioBytes + budget.containerBytes;
  const wantedVideoBytes = budget.targetBytes - fixedBytes;
  const gotVideoBytes = Math.max(1, actualBytes - fixedBytes);
  const margin = actualBytes > budget.targetBytes ? RETRY_MARGIN : 1;
  return Math.floor(budget.videoBitrate * (wantedVideoBytes / gotVideoBytes) * margin);
}

/**
 * The budget for one more encode when an output under the cap used less than `MIN_CAP_SHARE` of it, or
 * null when it stands: it is close enough, or the picture cannot use more (the bits-per-pixel ceiling or
 * level 4.1), or the budget aimed low on purpose. Pure.
 */
export function budgetAfterUndershoot(request: RetryRequest & { maxSizeBytes: number }): EncodeBudget | null {
  const { budget, actualBytes, maxSizeBytes } = request;
  if (actualBytes > maxSizeBytes || actualBytes >= MIN_CAP_SHARE * maxSizeBytes) return null;
  // A target below the cap share on purpose (a short clip the picture cannot use the cap for) stands.
  if (budget.targetBytes < MIN_CAP_SHARE * maxSizeBytes) return null;
  const pixelRate = budget.width * budget.height * budget.frameRate;
  const ceiling = Math.min(MAX_VIDEO_BITRATE, MAX_BITS_PER_PIXEL * pixelRate);
  const videoBitrate = Math.floor(Math.min(ceiling, nextVideoBitrate(request)));
  if (videoBitrate <= budget.videoBitrate) return null;
  const level = h264LevelFor({ width: budget.width, height: budget.height, frameRate: budget.frameRate, peakBitrate: videoBitrate * 2 });
  if (level === null || level > 4.1) return null;
  return { ...budget, videoBitrate, level: Math.max(level, budget.level), bitsPerPixel: videoBitrate / pixelRate };
}

/** One encode that was tried: its budget and the size it came out at. */
export interface TriedEncode {
  budget: EncodeBudget;
  actualBytes: number;
}

/**
 * The budget for one more encode after a retry aimed higher came out over the cap while the attempt before
 * it stayed under 90% of it: the video bitrate on the line through the two, aimed at the middle of
 * 90-100%. Null when the two do not bracket such a bitrate. Pure.
 */
export function budgetBetween(request: { under: TriedEncode; over: TriedEncode; maxSizeBytes: number }): EncodeBudget | null {
  const { under, over, maxSizeBytes } = request;
  const low = under.budget.videoBitrate;
  const high = over.budget.videoBitrate;
  if (!(high > low) || !(over.actualBytes > maxSizeBytes) || !(under.actualBytes < MIN_CAP_SHARE * maxSizeBytes)) return null;
  const wantedBytes = ((MIN_CAP_SHARE + 1) / 2) * maxSizeBytes;
  const videoBitrate = Math.floor(low + ((wantedBytes - under.actualBytes) * (high - low)) / (over.actualBytes - under.actualBytes));
  if (videoBitrate <= low || videoBitrate >= high) return null;
  const pixelRate = under.budget.width * under.budget.height * under.budget.frameRate;
  return { ...under.budget, videoBitrate, level: Math.max(under.budget.level, over.budget.level), bitsPerPixel: videoBitrate / pixelRate };
}
