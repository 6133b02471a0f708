import { h264LevelFor } from './h264-level.js';

export interface BudgetRequest {
  durationSeconds: number;
  maxSizeBytes: number;
  /** Share of the cap to aim at: the encoder lands a little either side, and over the cap costs a retry. */
  targetFraction: number;
  /** The picture as the viewer sees it (rotation and pixel aspect applied). */
  displayWidth: number;
  displayHeight: number;
  /** Average frames per second; null when unknown. */
  frameRate: number | null;
  /** Channels of the audio that will be kept; null when the output has no audio. */
  audioChannels: number | null;
  /**
   * The audio as encoded beforehand at the bitrate this budget picks: its AAC payload in bytes. AAC falls
   * short of its bitrate on simple sound, and the picture gets what it leaves. Without it (or when the
   * budget picks another bitrate) the audio is taken to use its whole bitrate.
   */
  measuredAudio?: MeasuredAudio | null | undefined;
}

export interface MeasuredAudio {
  bitrate: number;
  bytes: number;
}

export interface EncodeBudget {
  /** The size the encode aims at, bytes. */
  targetBytes: number;
  /** Bits per second for x264's average bitrate. */
  videoBitrate: number;
  /** Bits per second for the AAC encoder; 0 without audio. */
  audioBitrate: number;
  /** Bytes the audio is expected to take: as measured, else its bitrate over the whole clip. */
  audioBytes: number;
  /** Output picture size, even, in display orientation. */
  width: number;
  height: number;
  /** Average frames per second of the output: the source's (30 when unknown), or the cap for a faster source. */
  frameRate: number;
  /** The constant rate a faster source is resampled to; null when the source's own frame timing is kept. */
  frameRateCap: number | null;
  /** Video bits per pixel per frame at this size: how much room the encoder has. */
  bitsPerPixel: number;
  /** Bytes the MP4 boxes are expected to take besides the media data. */
  containerBytes: number;
  /** H.264 level that holds this picture size, frame rate and bitrate. */
  level: number;
}

export type BudgetResult =
  | { fits: true; budget: EncodeBudget }
  | { fits: false; maxDurationSeconds: number; reason: string };

/** Shorter-side sizes tried from the top; the source size is tried first when it is smaller than the first rung. */
export const RESOLUTION_LADDER: readonly number[] = [1080, 720, 540, 480, 360, 270, 240];

/** Below this many bits per pixel H.264 Main without B-frames turns visibly blocky: better a smaller picture. */
export const MIN_BITS_PER_PIXEL = 0.06;
/** Above this H.264 gains nothing visible: a generous cap on a short clip is not spent on noise. */
export const MAX_BITS_PER_PIXEL = 0.4;
/** Level 4.1 allows 50 Mbit/s at peak; with peaks at twice the average that is 25 Mbit/s on average. */
const MAX_VIDEO_BITRATE = 25_000_000;
/** The least video bitrate worth sending, at the smallest rung. */
export const MIN_VIDEO_BITRATE = 100_000;
/**
 * Fastest frame rate an encode writes. Phones show at most 60 frames a second, and a 240 fps capture kept
 * as it is would need a level above 4.1 at any useful size.
 */
export const MAX_OUTPUT_FRAME_RATE = 60;
/** Players on the phones WhatsApp supports decode up to level 4.1 (1080p30) without trouble. */
const MAX_LEVEL = 4.1;
const MAX_PIXELS = 1920 * 1080;
/**
 * The MP4 index as ffmpeg's muxer writes it (measured on a one-minute 30 fps clip with AAC: 53 KB). Each
 * video frame costs a size and a chunk offset; each AAC frame a size. Interleaving puts one chunk of audio
 * beside every video frame, and the audio's chunk table then alternates between one and two frames per
 * chunk: a chunk offset and a sample-to-chunk entry per video frame.
 */
const VIDEO_INDEX_BYTES_PER_FRAME = 8;
const AUDIO_INDEX_BYTES_PER_FRAME = 4;
const AUDIO_CHUNK_BYTES_PER_VIDEO_FRAME = 16;
const FIXED_CONTAINER_BYTES = 4096;
const AAC_FRAMES_PER_SECOND = 48_000 / 1024;

/** The rate a transcode resamples a source to: the cap when the source averages more, else null (timing kept). */
export function frameRateCapFor(sourceFrameRate: number | null): number | null {
  return sourceFrameRate !== null && sourceFrameRate > MAX_OUTPUT_FRAME_RATE ? MAX_OUTPUT_FRAME_RATE : null;
}

/**
 * AAC bitrate for the budget: generous when the cap leaves room, thinner for long clips where every
 * kbit/s taken from the picture shows. Mono gets half.
 */
export function audioBitrateFor(totalBitrate: number, channels: number): number {
  const stereo = totalBitrate >= 1_000_000 ? 128_000 : totalBitrate >= 400_000 ? 96_000 : totalBitrate >= 200_000 ? 64_000 : 48_000;
  return channels >= 2 ? stereo : Math.max(32_000, stereo / 2);
}

/** Bytes the MP4 container adds for a clip of this length. */
export function containerBytesFor(durationSeconds: number, frameRate: number, hasAudio: boolean): number {
  return Math.ceil(FIXED_CONTAINER_BYTES + durationSeconds * indexBytesPerSecond(frameRate, hasAudio));
}

function indexBytesPerSecond(frameRate: number, hasAudio: boolean): number {
  const audio = hasAudio ? AAC_FRAMES_PER_SECOND * AUDIO_INDEX_BYTES_PER_FRAME + frameRate * AUDIO_CHUNK_BYTES_PER_VIDEO_FRAME : 0;
  return frameRate * VIDEO_INDEX_BYTES_PER_FRAME + audio;
}

/**
 * The bitrates and picture size for an encode that fills `targetFraction` of the cap: video bitrate from
 * duration and audio bitrate, then the largest picture (never above the source, 1080p or level 4.1) whose
 * bits per pixel stay above the floor. A source faster than 60 fps is budgeted
 * (and must be encoded) at 60. Pure.
 */
export function planBudget(request: BudgetRequest): BudgetResult {
  // The rate the output is written at, so the level and bits per pixel hold for the frames actually encoded.
  const frameRateCap = frameRateCapFor(request.frameRate);
  const frameRate = frameRateCap ?? clamp(request.frameRate ?? 30, 1, MAX_OUTPUT_FRAME_RATE);
  const hasAudio = request.audioChannels !== null;
  const channels = Math.min(2, request.audioChannels ?? 0);
  const targetBytes = Math.floor(request.maxSizeBytes * request.targetFraction);
  const containerBytes = containerBytesFor(request.durationSeconds, frameRate, hasAudio);
  const totalBitrate = ((targetBytes - containerBytes) * 8) / request.durationSeconds;
  const audioBitrate = hasAudio ? audioBitrateFor(totalBitrate, channels) : 0;
  const measured = request.measuredAudio;
  const audioBytes = measured && measured.bitrate === audioBitrate ? measured.bytes : Math.ceil((audioBitrate * request.durationSeconds) / 8);
  const videoBitrate = Math.floor(totalBitrate - (audioBytes * 8) / request.durationSeconds);

  const lowestAudio = hasAudio ? audioBitrateFor(0, channels) : 0;
  if (videoBitrate < MIN_VIDEO_BITRATE) {
    const perSecondBytes = (MIN_VIDEO_BITRATE + lowestAudio) / 8 + indexBytesPerSecond(frameRate, hasAudio);
    const maxDurationSeconds = Math.max(0, Math.floor((targetBytes - FIXED_CONTAINER_BYTES) / perSecondBytes));
    return {
      fits: false,
      maxDurationSeconds,
      reason: `${request.durationSeconds.toFixed(1)} s leaves ${Math.max(0, Math.round(videoBitrate / 1000))} kbit/s for the picture, under the ${MIN_VIDEO_BITRATE / 1000} kbit/s floor`,
    };
  }

  const sizes = candidateSizes(request.displayWidth, request.displayHeight);
  let chosen = sizes[sizes.length - 1] ?? { width: 2, height: 2 };
  for (const size of sizes) {
    const level = h264LevelFor({ ...size, frameRate, peakBitrate: Math.min(videoBitrate, MAX_VIDEO_BITRATE) * 2 });
    if (level === null || level > MAX_LEVEL) continue;
    if (videoBitrate / (size.width * size.height * frameRate) >= MIN_BITS_PER_PIXEL) {
      chosen = size;
      break;
    }
  }
  const pixelRate = chosen.width * chosen.height * frameRate;
  const spentBitrate = Math.floor(Math.min(videoBitrate, MAX_VIDEO_BITRATE, MAX_BITS_PER_PIXEL * pixelRate));
  const level = h264LevelFor({ ...chosen, frameRate, peakBitrate: spentBitrate * 2 }) ?? MAX_LEVEL;
  return {
    fits: true,
    budget: {
      // When the cap is more than the picture can use, the target shrinks with the bitrate.
      targetBytes: spentBitrate < videoBitrate ? Math.ceil(containerBytes + audioBytes + (spentBitrate * request.durationSeconds) / 8) : targetBytes,
      videoBitrate: spentBitrate,
      audioBitrate,
      audioBytes,
      width: chosen.width,
      height: chosen.height,
      frameRate,
      frameRateCap,
      bitsPerPixel: spentBitrate / pixelRate,
      containerBytes,
      level,
    },
  };
}

/** Output sizes from the source's own (made even, at most 1080p) down the ladder, largest first, aspect kept. */
export function candidateSizes(displayWidth: number, displayHeight: number): { width: number; height: number }[] {
  const width = Math.max(2, displayWidth);
  const height = Math.max(2, displayHeight);
  const shorter = Math.min(width, height);
  const longer = Math.max(width, height);
  // The source's own size, shrunk only as far as the 1080p pixel count and 1920 long side require.
  const fitScale = Math.min(1, Math.sqrt(MAX_PIXELS / (width * height)), 1920 / longer);
  const sides = [shorter * fitScale, ...RESOLUTION_LADDER.filter((side) => side < shorter * fitScale)];
  const sizes: { width: number; height: number }[] = [];
  for (const side of sides) {
    // The shorter side is set exactly; the longer one follows the aspect ratio, rounded to an even number.
    const short = even(side);
    const long = Math.min(even(longer), Math.max(2, Math.round((longer * side) / shorter / 2) * 2));
    const size = width <= height ? { width: short, height: long } : { width: long, height: short };
    if (!sizes.some((known) => known.width === size.width && known.height === size.height)) sizes.push(size);
  }
  return sizes;
}

function even(value: number): number {
  return Math.max(2, Math.floor(value / 2) * 2);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
