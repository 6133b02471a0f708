import { resolve } from 'node:path';
import { containerFromFormatName } from './container.js';
import { ProbeError } from './errors.js';
import { frameTypeArgs, streamInfoArgs } from './ffprobe/ffprobe-args.js';
import { defaultFfprobePath } from './ffprobe/ffprobe-path.js';
import { bFramesFromPictureTypes, factsFromFfprobe, type FfprobeOutput } from './ffprobe/facts-from-ffprobe.js';
import { runFfprobe } from './ffprobe/run-ffprobe.js';
import { DEFAULT_PARSE_TIMEOUT_MS, probePool } from './isolation/probe-pool.js';
import type { MediaFacts, UnreadableProblem } from './media-facts.js';

export { emptyFacts } from './read-own-facts.js';

export interface ProbeOptions {
  /** Cancels the probe; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** ffprobe binary for containers other than ISO-BMFF. Default: `FFPROBE_PATH` or the bundled one. */
  ffprobePath?: string;
  /** How long ffprobe may take on one file before the file is reported as unreadable. Default 30 s. */
  ffprobeTimeoutMs?: number;
  /** How long reading an MP4's boxes may take before the file is reported as unreadable. Default 10 s. */
  parseTimeoutMs?: number;
}

/**
 * What exactly is this file? Reads box headers and the moov of MP4/MOV/3GP files itself (a few KB for a
 * faststart file), and asks ffprobe about other containers. A file that is not media, or is damaged,
 * comes back with `problem` set, not as an error: errors are for a path that cannot be read at all.
 *
 * The file's bytes are read and parsed in a worker thread with a memory and time budget, so a hostile
 * file costs one `unreadable` verdict, never the process, and the caller's event loop stays free.
 */
export async function probe(path: string, options: ProbeOptions = {}): Promise<MediaFacts> {
  options.signal?.throwIfAborted();
  const { facts, ffprobe } = await probePool().read(path, options.parseTimeoutMs ?? DEFAULT_PARSE_TIMEOUT_MS, options.signal);
  if (ffprobe) await readWithFfprobe(facts, options, ffprobe.sniffed);
  return facts;
}

/** Other containers: ffprobe for streams, then decoded picture types of the first frames for B-frames. */
async function readWithFfprobe(facts: MediaFacts, options: ProbeOptions, sniffed: boolean): Promise<void> {
  facts.source = 'ffprobe';
  const binary = options.ffprobePath ?? defaultFfprobePath();
  const timeoutMs = options.ffprobeTimeoutMs ?? 30_000;
  const target = resolve(facts.path);
  const run = await runFfprobe({ binary, args: streamInfoArgs(target), timeoutMs, signal: options.signal }).catch((error: unknown) => {
    if (options.signal?.aborted) throw error;
    throw new ProbeError('ffprobe-failed', `cannot run ffprobe (${binary}): ${(error as Error).message}`, facts.path, { cause: error });
  });
  if (run.timedOut) {
    facts.problem = { reason: 'timeout', message: `ffprobe gave no answer within ${timeoutMs / 1000} s` };
    return;
  }
  if (run.signal !== null) {
    // Some ffprobe builds crash on some files (the bundled one on ffmpeg-made MPEG-TS): say so plainly.
    const kind = facts.detected ? ` ${facts.detected.ext.toUpperCase()}` : '';
    facts.problem = { reason: 'unsupported', message: `ffprobe crashed (${run.signal}) reading this${kind} file; FFPROBE_PATH can name another ffprobe build` };
    return;
  }
  const parsed = parseJson(run.stdout);
  const streams = parsed ? factsFromFfprobe(parsed) : null;
  if (run.exitCode !== 0 || !streams || (streams.video.length === 0 && streams.audio.length === 0)) {
    facts.problem = unreadableFromFfprobe(run.stderr, sniffed);
    return;
  }
  // Without a signature file-type knows, only a confident ffprobe guess counts: random bytes can look like MP3.
  if (!sniffed && (streams.probeScore ?? 0) < 50) {
    facts.problem = { reason: 'not-media', message: 'the file is not a recognised video format' };
    return;
  }
  facts.container = containerFromFormatName(streams.formatName, facts.detected?.ext ?? null);
  facts.durationSeconds = streams.durationSeconds;
  facts.video = streams.video;
  facts.audio = streams.audio;
  const firstVideo = facts.video[0];
  if (firstVideo?.codec === 'h264') {
    const frames = await runFfprobe({ binary, args: frameTypeArgs(target), timeoutMs, signal: options.signal });
    const types = (parseJson(frames.stdout) as { frames?: { pict_type?: string }[] } | null)?.frames ?? [];
    firstVideo.bFrames = bFramesFromPictureTypes(types.map((frame) => frame.pict_type ?? '?'));
  }
}

function parseJson(text: string): FfprobeOutput | null {
  try {
    return JSON.parse(text) as FfprobeOutput;
  } catch {
    return null;
  }
}

function unreadableFromFfprobe(stderr: string, sniffed: boolean): UnreadableProblem {
  const detail = stderr.split('\n').filter(Boolean).pop()?.replace(/^.*?: /, '');
  if (!sniffed) return { reason: 'not-media', message: 'the file is not a recognised video format' };
  return { reason: 'corrupt', message: `the file cannot be decoded${detail ? `: ${detail}` : ''}` };
}
