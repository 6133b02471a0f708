/** One row of the H.264 level limits (ITU-T H.264 Table A-1), for Baseline and Main. */
interface LevelLimits {
  level: number;
  /** Macroblocks per second. */
  maxMbps: number;
  /** Macroblocks per frame. */
  maxFrameMbs: number;
  /** Video bitrate, kbit/s (Baseline and Main). */
  maxKbps: number;
}

const LEVELS: readonly LevelLimits[] = [
  { level: 1, maxMbps: 1485, maxFrameMbs: 99, maxKbps: 64 },
  { level: 1.1, maxMbps: 3000, maxFrameMbs: 396, maxKbps: 192 },
  { level: 1.2, maxMbps: 6000, maxFrameMbs: 396, maxKbps: 384 },
  { level: 1.3, maxMbps: 11880, maxFrameMbs: 396, maxKbps: 768 },
  { level: 2, maxMbps: 11880, maxFrameMbs: 396, maxKbps: 2000 },
  { level: 2.1, maxMbps: 19800, maxFrameMbs: 792, maxKbps: 4000 },
  { level: 2.2, maxMbps: 20250, maxFrameMbs: 1620, maxKbps: 4000 },
  { level: 3, maxMbps: 40500, maxFrameMbs: 1620, maxKbps: 10000 },
  { level: 3.1, maxMbps: 108000, maxFrameMbs: 3600, maxKbps: 14000 },
  { level: 3.2, maxMbps: 216000, maxFrameMbs: 5120, maxKbps: 20000 },
  { level: 4, maxMbps: 245760, maxFrameMbs: 8192, maxKbps: 20000 },
  { level: 4.1, maxMbps: 245760, maxFrameMbs: 8192, maxKbps: 50000 },
  { level: 4.2, maxMbps: 522240, maxFrameMbs: 8704, maxKbps: 50000 },
  { level: 5, maxMbps: 589824, maxFrameMbs: 22080, maxKbps: 135000 },
  { level: 5.1, maxMbps: 983040, maxFrameMbs: 36864, maxKbps: 240000 },
  { level: 5.2, maxMbps: 2073600, maxFrameMbs: 36864, maxKbps: 240000 },
];

export interface LevelQuery {
  width: number;
  height: number;
  frameRate: number;
  /** Highest bitrate the stream may reach, bits per second. */
  peakBitrate: number;
}

/** The lowest H.264 level whose limits hold the stream; null when none does (beyond 5.2). */
export function h264LevelFor(query: LevelQuery): number | null {
  const widthMbs = Math.ceil(query.width / 16);
  const heightMbs = Math.ceil(query.height / 16);
  const frameMbs = widthMbs * heightMbs;
  const found = LEVELS.find(
    (limits) =>
      frameMbs <= limits.maxFrameMbs &&
      // A frame may not be too long on either side: each side at most sqrt(8 * MaxFS) macroblocks.
      widthMbs * widthMbs <= 8 * limits.maxFrameMbs &&
      heightMbs * heightMbs <= 8 * limits.maxFrameMbs &&
      frameMbs * query.frameRate <= limits.maxMbps &&
      query.peakBitrate <= limits.maxKbps * 1000,
  );
  return found?.level ?? null;
}

/** The level as ffmpeg's `-level:v` takes it: `3.1`, `4`. */
export function formatLevel(level: number): string {
  return String(level);
}
