import { fileUrl, type MediaInput } from '@wavid/probe';
import type { AudioPlan, OutputContainer } from '../plan/plan-remediation.js';
import { aacArgs, kbps, outputChannels, outputSampleRate } from './audio-args.js';
import type { FfmpegJob } from './ffmpeg-job.js';
import { outputContainerArgs } from './remux-args.js';
import { untrustedInput } from './untrusted-input.js';

export type H264OutputProfile = 'main' | 'baseline';

export interface TranscodeArgsOptions {
  /** The input's absolute path and the demuxer the probe found its bytes to be (see `demuxerFor`). */
  input: MediaInput;
  /** Absolute path of the MP4 to write. */
  output: string;
  /** Output picture, even sizes, in display orientation (ffmpeg turns rotated sources before the filters). */
  width: number;
  height: number;
  videoBitrate: number;
  /** H.264 level written into the stream, e.g. 3.1. */
  level: number;
  profile: H264OutputProfile;
  /** x264 preset: speed against quality per bit. */
  preset: string;
  /** Encoder threads; 0 lets x264 choose. */
  threads: number;
  audio: AudioPlan;
  audioBitrate: number;
  /** The source is HDR (PQ or HLG): tone-map to SDR BT.709 instead of only cutting the bit depth. */
  hdr: boolean;
  /** Resample to this constant frame rate (a source faster than phones show); null keeps every frame's own timestamp. */
  frameRateCap: number | null;
  /** The container written. Default `mp4`. */
  container?: OutputContainer | undefined;
  /** Average frames per second of the output, for x264's rate control and level. */
  frameRate: number;
  /** One pass of a two-pass encode; without it the encode is one pass. */
  pass?: EncodePass | undefined;
}

/**
 * x264's two-pass rate control: pass 1 reads the whole picture and writes how hard each frame is to files
 * starting with `logPrefix`, and writes no video; pass 2 encodes with them, so bits go where the clip
 * needs them and the size lands on the bitrate even when the clip turns easy or hard halfway through.
 */
export interface EncodePass {
  pass: 1 | 2;
  logPrefix: string;
}

/** Peak bitrate and buffer as multiples of the average: room for hard scenes, bounded for the level and for phones. */
const MAX_RATE_FACTOR = 2;
const BUFFER_FACTOR = 2;
/**
 * How far x264's average bitrate may drift before its rate control pulls back (x264's default is 1). In one
 * pass, at the default a clip that grows steadily harder (a fractal zoom) lands 8% over its bitrate, and at
 * 0.1 within about 1%. A second pass already knows the whole clip: at 0.1 it over-corrects (10% over on a
 * grainy portrait clip), at the default it ends up to 13% under on a zoom; 0.5 keeps both within the
 * 90-100% band (bench/cap-use.mjs).
 */
const RATE_TOLERANCE = { onePass: 0.1, twoPass: 0.5 };
/**
 * How much x264 lets the bitrate follow the picture's complexity (its default is 0.6, 0 is a constant
 * bitrate). At 0.4 grainy clips, where one-pass x264 spends least of its bitrate, land closer to it, and
 * SSIM at the same size came out higher on every clip measured.
 */
const QUANTIZER_COMPRESSION = 0.4;
/** Ticks per second of the encoder's clock and of the MP4 video track: MPEG's 90 kHz. */
export const VIDEO_TIMESCALE = 90_000;

/**
 * A one-pass x264 encode aimed at an average bitrate: H.264 Main (or Baseline) without B-frames,
 * 8-bit 4:2:0 at the given even size, the given level, AAC-LC audio, moov first. Frames keep their own
 * timestamps (`-vsync vfr` on a 90 kHz clock): variable frame rate sources are neither padded nor thinned,
 * so audio stays in sync. Only a source faster than `frameRateCap` is thinned to that rate.
 */
export function transcodeArgs(options: TranscodeArgsOptions): FfmpegJob {
  const { audio } = options;
  const audioArgs =
    audio.kind === 'none'
      ? ['-an']
      : ['-map', `0:a:${audio.index}`, ...aacArgs({ bitrate: options.audioBitrate, channels: outputChannels(audio.channels), sampleRate: outputSampleRate(audio.sampleRate) })];
  const videoArgs = [
    '-map', '0:V:0',
    '-vf', videoFilter(options),
    '-c:v', 'libx264',
    '-preset', options.preset,
    '-profile:v', options.profile,
    '-level:v', String(options.level),
    '-bf', '0',
    '-b:v', kbps(options.videoBitrate),
    '-maxrate', kbps(options.videoBitrate * MAX_RATE_FACTOR),
    '-bufsize', kbps(options.videoBitrate * BUFFER_FACTOR),
    '-threads', String(options.threads),
    '-pix_fmt', 'yuv420p',
    ...(options.hdr ? ['-color_primaries', 'bt709', '-color_trc', 'bt709', '-colorspace', 'bt709'] : []),
    '-vsync', 'vfr',
    // The encoder's clock defaults to 1/(average frame rate): frames of a variable frame rate source that
    // round to the same tick are dropped. 1/90000 holds the clocks phones and browsers write exactly.
    '-enc_time_base:v', `1:${VIDEO_TIMESCALE}`,
    '-video_track_timescale', String(VIDEO_TIMESCALE),
    // ffmpeg 4.1 hands x264 the clock as its frame rate (90000 fps), which starves the rate control:
    // 7% under the bitrate. The average rate keeps it on target; timestamps still come from the frames.
    '-x264-params', x264Params(options),
    ...(options.pass ? ['-pass', String(options.pass.pass), '-passlogfile', options.pass.logPrefix] : []),
  ];
  if (options.pass?.pass === 1) {
    // The analysis: the same frames through the same filters, no sound, nothing written.
    return { ...untrustedInput(options.input), outputArgs: [...videoArgs, '-an', '-f', 'null'], output: '-' };
  }
  return {
    ...untrustedInput(options.input),
    outputArgs: [...videoArgs, ...audioArgs, ...outputContainerArgs(options.container)],
    output: fileUrl(options.output),
  };
}

/** x264's own settings: the average frame rate, and rate control held close to the bitrate. */
function x264Params(options: Pick<TranscodeArgsOptions, 'frameRate' | 'pass'>): string {
  const tolerance = options.pass ? RATE_TOLERANCE.twoPass : RATE_TOLERANCE.onePass;
  return `fps=${Math.round(options.frameRate * 1000)}/1000:ratetol=${tolerance}:qcomp=${QUANTIZER_COMPRESSION}`;
}

/** Thin to the frame rate cap (when set), tone-map (HDR only), scale to the output size with square pixels, then 8-bit 4:2:0. */
export function videoFilter(options: Pick<TranscodeArgsOptions, 'width' | 'height' | 'hdr' | 'frameRateCap'>): string {
  const steps: string[] = [];
  // First, so the frames that are dropped are neither tone-mapped nor scaled.
  if (options.frameRateCap !== null) steps.push(`fps=${options.frameRateCap}`);
  if (options.hdr) {
    // To linear light, map the highlights into SDR range with Hable's curve, then BT.709 limited range.
    steps.push('zscale=t=linear:npl=100', 'format=gbrpf32le', 'zscale=p=bt709', 'tonemap=tonemap=hable:desat=0', 'zscale=t=bt709:m=bt709:r=tv');
  }
  steps.push(`scale=${options.width}:${options.height}`, 'setsar=1', 'format=yuv420p');
  return steps.join(',');
}
