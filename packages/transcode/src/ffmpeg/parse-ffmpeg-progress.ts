/** One of ffmpeg's status lines, as numbers. Fields ffmpeg printed as N/A are null. */
export interface FfmpegStatus {
  frame: number | null;
  /** Output time reached, seconds. */
  timeSeconds: number;
  /** Bytes written so far. */
  sizeBytes: number | null;
  /** Media seconds processed per wall-clock second. */
  speed: number | null;
}

const TIME = /time=\s*(-?)(\d+):(\d{2}):(\d{2}(?:\.\d+)?)/;
const FRAME = /frame=\s*(\d+)/;
const SIZE = /L?size=\s*(\d+)kB/;
const SPEED = /speed=\s*(\d+(?:\.\d+)?)x/;

/**
 * Reads a status line such as `frame=  79 fps= 77 q=29.0 size=  1280kB time=00:00:02.64 bitrate=... speed=2.57x`.
 * Null for any other stderr line. Pure.
 */
export function parseFfmpegProgress(line: string): FfmpegStatus | null {
  const time = TIME.exec(line);
  if (!time) return null;
  const [, negative, hours, minutes, seconds] = time;
  const timeSeconds = negative ? 0 : Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds);
  const frame = FRAME.exec(line)?.[1];
  const size = SIZE.exec(line)?.[1];
  const speed = SPEED.exec(line)?.[1];
  return {
    frame: frame === undefined ? null : Number(frame),
    timeSeconds,
    sizeBytes: size === undefined ? null : Number(size) * 1024,
    speed: speed === undefined ? null : Number(speed),
  };
}

/** Share of the work done, 0 to 1, from the time reached and the clip's length. Null when the length is unknown. */
export function fractionDone(status: FfmpegStatus, durationSeconds: number | null): number | null {
  if (durationSeconds === null || durationSeconds <= 0) return null;
  return Math.min(1, Math.max(0, status.timeSeconds / durationSeconds));
}
