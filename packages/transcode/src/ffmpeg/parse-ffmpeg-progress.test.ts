import { describe, expect, it } from 'vitest';
import { fractionDone, parseFfmpegProgress } from './parse-ffmpeg-progress.js';

// Lines copied from the stderr of the bundled ffmpeg.
const ENCODING = 'frame=   79 fps= 77 q=29.0 size=    1280kB time=00:00:02.64 bitrate=3964.0kbits/s speed=2.57x    ';
const LAST = 'frame=  120 fps= 63 q=-1.0 Lsize=    3299kB time=00:00:04.01 bitrate=6737.6kbits/s speed=2.12x    ';
const NULL_OUTPUT = 'frame=   60 fps=0.0 q=-0.0 Lsize=N/A time=00:00:02.00 bitrate=N/A speed=12.8x    ';
const AUDIO_ONLY = 'size=      12kB time=00:00:02.00 bitrate=  48.1kbits/s speed=73.5x    ';
const LONG = 'frame=108000 fps=240 q=28.0 size=  512000kB time=01:00:00.00 bitrate=1165.1kbits/s speed=   8x    ';

describe('parseFfmpegProgress', () => {
  it('reads frame, time, size and speed from a status line', () => {
    expect(parseFfmpegProgress(ENCODING)).toEqual({ frame: 79, timeSeconds: 2.64, sizeBytes: 1280 * 1024, speed: 2.57 });
    expect(parseFfmpegProgress(LAST)).toEqual({ frame: 120, timeSeconds: 4.01, sizeBytes: 3299 * 1024, speed: 2.12 });
    expect(parseFfmpegProgress(LONG)).toEqual({ frame: 108000, timeSeconds: 3600, sizeBytes: 512000 * 1024, speed: 8 });
  });

  it('leaves out what ffmpeg prints as N/A or not at all', () => {
    expect(parseFfmpegProgress(NULL_OUTPUT)).toEqual({ frame: 60, timeSeconds: 2, sizeBytes: null, speed: 12.8 });
    expect(parseFfmpegProgress(AUDIO_ONLY)).toEqual({ frame: null, timeSeconds: 2, sizeBytes: 12 * 1024, speed: 73.5 });
  });

  it('reads a negative time at the start of a stream as 0', () => {
    expect(parseFfmpegProgress('frame=    0 fps=0.0 q=0.0 size=       0kB time=-00:00:00.02 bitrate=N/A speed=N/A    ')).toEqual({
      frame: 0, timeSeconds: 0, sizeBytes: 0, speed: null,
    });
  });

  it('ignores every other line', () => {
    expect(parseFfmpegProgress('  Duration: 00:00:20.00, start: 0.000000, bitrate: 34683 kb/s')).toBeNull();
    expect(parseFfmpegProgress('[libx264 @ 0x55d0] frame I:1     Avg QP:20.35  size: 40133')).toBeNull();
  });
});

describe('fractionDone', () => {
  it('divides the time reached by the length, within 0..1', () => {
    const status = { frame: 79, timeSeconds: 2.64, sizeBytes: null, speed: null };
    expect(fractionDone(status, 4)).toBeCloseTo(0.66);
    expect(fractionDone({ ...status, timeSeconds: 5 }, 4)).toBe(1);
    expect(fractionDone(status, null)).toBeNull();
  });
});
