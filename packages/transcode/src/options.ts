import { InvalidOptionError, type ProgressEvent } from '@wavid/foundation';
import { PROFILES, type ComplianceProfile } from '@wavid/probe';
import type { H264OutputProfile } from './ffmpeg/transcode-args.js';

/** Options of `fixVideo`. Every default is written here and filled in by `resolveFixOptions`. */
export interface FixVideoOptions {
  /** The video to fix. Never modified. */
  input: string;
  /** Where the compliant MP4 goes. Written under a temporary name beside it, renamed once verified. */
  output: string;
  /** Rules and size cap. Default: `PROFILES.whatsapp` (16,000,000 bytes). */
  profile?: ComplianceProfile | undefined;
  /** H.264 profile of a new encode. Default `main`; `baseline` for the oldest phones. */
  h264Profile?: H264OutputProfile | undefined;
  /** Re-encode even when a copy or remux would comply. Default false. */
  forceTranscode?: boolean | undefined;
  /** x264 preset. Default `medium`. */
  preset?: string | undefined;
  /** x264 threads. Default 0: x264 picks from the cores. */
  threads?: number | undefined;
  /** Share of the cap a new encode aims at. Default 0.95. */
  targetFraction?: number | undefined;
  /** Encodes tried before giving up with `cannot-fit`. Default 3. */
  maxAttempts?: number | undefined;
  /** Longest one ffmpeg run may take. Default: 10 minutes, or 20 times the clip's length if that is longer. */
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
  /** Events with stage `probe`, then `fix` (several), then `verify`. */
  onProgress?: ((event: ProgressEvent) => void) | undefined;
  /** Default: `FFMPEG_PATH` or the bundled binary. */
  ffmpegPath?: string | undefined;
  /** Default: `FFPROBE_PATH` or the bundled binary. */
  ffprobePath?: string | undefined;
}

export interface ResolvedFixOptions {
  input: string;
  output: string;
  profile: ComplianceProfile;
  h264Profile: H264OutputProfile;
  forceTranscode: boolean;
  preset: string;
  threads: number;
  targetFraction: number;
  maxAttempts: number;
  timeoutMs: number | null;
  signal: AbortSignal | undefined;
  onProgress: (event: ProgressEvent) => void;
  ffmpegPath: string | undefined;
  ffprobePath: string | undefined;
}

export const DEFAULT_PRESET = 'medium';
/**
 * With the audio measured and x264 held close to its bitrate, one-pass x264 lands within a few percent of
 * the target: over on clips that grow harder towards the end, under on grainy ones. 95% keeps both inside
 * 90-100% of the cap on the first encode (measured in bench/cap-use.mjs).
 */
export const DEFAULT_TARGET_FRACTION = 0.95;
export const DEFAULT_MAX_ATTEMPTS = 3;
const X264_PRESETS = ['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium', 'slow', 'slower', 'veryslow'];

/** Checks every option once and fills in the defaults. Throws an InvalidOptionError that names the option. */
export function resolveFixOptions(options: FixVideoOptions): ResolvedFixOptions {
  const fail = (name: string, wanted: string, value: unknown): never => {
    throw new InvalidOptionError(name, (option) => `${option(name)} must be ${wanted}; got ${describe(value)}`);
  };
  if (typeof options.input !== 'string' || options.input === '') fail('input', 'a file path', options.input);
  if (typeof options.output !== 'string' || options.output === '') fail('output', 'a file path', options.output);
  const profile = options.profile ?? PROFILES.whatsapp;
  if (!Number.isSafeInteger(profile.maxSizeBytes) || profile.maxSizeBytes <= 0) fail('profile.maxSizeBytes', 'a positive whole number', profile.maxSizeBytes);
  const h264Profile = options.h264Profile ?? 'main';
  // Callers from plain JavaScript can pass anything.
  if (!(['main', 'baseline'] as unknown[]).includes(h264Profile)) fail('h264Profile', "'main' or 'baseline'", h264Profile);
  const preset = options.preset ?? DEFAULT_PRESET;
  if (!X264_PRESETS.includes(preset)) fail('preset', `one of ${X264_PRESETS.join(', ')}`, preset);
  const threads = options.threads ?? 0;
  if (!Number.isInteger(threads) || threads < 0 || threads > 64) fail('threads', 'a whole number from 0 to 64', threads);
  const targetFraction = options.targetFraction ?? DEFAULT_TARGET_FRACTION;
  if (!(targetFraction > 0.5 && targetFraction <= 1)) fail('targetFraction', 'a number above 0.5 and at most 1', targetFraction);
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 10) fail('maxAttempts', 'a whole number from 1 to 10', maxAttempts);
  const timeoutMs = options.timeoutMs ?? null;
  if (timeoutMs !== null && !(Number.isFinite(timeoutMs) && timeoutMs > 0)) fail('timeoutMs', 'a positive number of milliseconds', timeoutMs);
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) fail('signal', 'an AbortSignal', options.signal);
  return {
    input: options.input,
    output: options.output,
    profile,
    h264Profile,
    forceTranscode: options.forceTranscode ?? false,
    preset,
    threads,
    targetFraction,
    maxAttempts,
    timeoutMs,
    signal: options.signal,
    onProgress: options.onProgress ?? (() => undefined),
    ffmpegPath: options.ffmpegPath,
    ffprobePath: options.ffprobePath,
  };
}

function describe(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : String(value);
}

/** The default ffmpeg time limit for a clip: generous, but a hung ffmpeg does not hold a batch forever. */
export function defaultTimeoutMs(durationSeconds: number | null): number {
  return Math.max(10 * 60_000, (durationSeconds ?? 0) * 20_000);
}
