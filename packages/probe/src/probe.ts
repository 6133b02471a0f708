import { resolve } from 'node:path';
import { containerFromFormatName } from './container.js';
import { ProbeError } from './errors.js';
import { demuxerForSniffed } from './ffprobe/demuxer.js';
import { frameTypeArgs, streamInfoArgs } from './ffprobe/ffprobe-args.js';
import { defaultFfprobePath } from './ffprobe/ffprobe-path.js';
import { bFramesFromPictureTypes, factsFromFfprobe, type FfprobeOutput } from './ffprobe/facts-from-ffprobe.js';
import { DEFAULT_PARSE_TIMEOUT_MS, probePool } from './isolation/probe-pool.js';
import type { MediaFacts, UnreadableProblem } from './media-facts.js';
import { describeDetected } from './own-facts.js';
import { runTool, throwIfCancelled } from '@wavid/foundation';

/** Output beyond this is a sign of a hostile file; ffprobe is stopped and the run reported as failed. */
const MAX_FFPROBE_OUTPUT = 16 * 1024 * 1024;

export { emptyFacts } from './media-facts.js';

const MEDIA_MIME = /^(video|audio)\//;

export interface ProbeOptions {
  /** Cancels the probe; the promise rejects as every cancel does (see `cancelError`). */
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
  throwIfCancelled(options.signal);
  const { facts, ffprobe, parserFailed } = await probePool().read(path, options.parseTimeoutMs ?? DEFAULT_PARSE_TIMEOUT_MS, options.signal);
  if (ffprobe) {
    // ffprobe only sees files whose bytes are a container it is then forced to read them as.
    const demuxer = demuxerForSniffed(facts.detected?.ext ?? null);
    if (demuxer) await readWithFfprobe(facts, options, demuxer);
    else facts.problem = unidentified(facts);
  } else if (parserFailed) await readStreamsWithFfprobe(facts, options);
  return facts;
}

/**
 * A moov whose boxes add up but whose contents our reader cannot make sense of (parameter sets written as
 * an Annex B byte stream, say) is not a verdict: ffprobe answers for the streams, and the box layout our
 * reader walked (top-level boxes, moov before mdat, fragments, brand) is kept. Only when ffprobe cannot
 * decode the file either is it unreadable.
 */
async function readStreamsWithFfprobe(facts: MediaFacts, options: ProbeOptions): Promise<void> {
  const ownProblem = facts.problem;
  const container = facts.container;
  Object.assign(facts, { problem: null, video: [], audio: [], durationSeconds: null });
  await readWithFfprobe(facts, options, 'mov');
  facts.container = container;
  // The moov's mvex was not understood, but movie fragments show at the top level.
  facts.fragmented ||= facts.topLevelBoxes.some((box) => box.type === 'moof');
  const undecoded = facts.video[0]?.codec === 'h264' && facts.video[0].bFrames === null;
  if (!facts.problem && !undecoded) {
    facts.source = 'isobmff+ffprobe';
    return;
  }
  const theirs = facts.problem?.message ?? 'it finds the streams but decodes no frame';
  facts.source = 'isobmff';
  facts.problem = { reason: ownProblem?.reason ?? 'corrupt', message: `${ownProblem?.message ?? 'the moov box cannot be read'}; ffprobe cannot read it either (${theirs})` };
}

function unidentified(facts: MediaFacts): UnreadableProblem {
  if (!facts.detected) return { reason: 'not-media', message: 'the file is not a recognised video format' };
  if (MEDIA_MIME.test(facts.detected.mime)) return { reason: 'unsupported', message: `the file is ${describeDetected(facts)}, a format wavid does not read` };
  return { reason: 'not-media', message: `the file is ${describeDetected(facts)}, not a video` };
}

/** Other containers: ffprobe for streams, then decoded picture types of the first frames for B-frames. */
async function readWithFfprobe(facts: MediaFacts, options: ProbeOptions, demuxer: string): Promise<void> {
  facts.source = 'ffprobe';
  const binary = options.ffprobePath ?? defaultFfprobePath();
  const timeoutMs = options.ffprobeTimeoutMs ?? 30_000;
  const target = { path: resolve(facts.path), demuxer };
  const ffprobe = (args: string[]) =>
    runTool({ binary, args, timeoutMs, signal: options.signal, maxStdoutBytes: MAX_FFPROBE_OUTPUT, stderrTailLines: Infinity }).catch((error: unknown) => {
      if (options.signal?.aborted) throw error;
      throw new ProbeError('ffprobe-failed', `cannot run ffprobe (${binary}): ${(error as Error).message}`, facts.path, { cause: error });
    });
  const run = await ffprobe(streamInfoArgs(target));
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
    facts.problem = unreadableFromFfprobe(run.stderrTail);
    return;
  }
  facts.container = containerFromFormatName(streams.formatName, facts.detected?.ext ?? null);
  facts.durationSeconds = streams.durationSeconds;
  facts.video = streams.video;
  facts.audio = streams.audio;
  const firstVideo = facts.video[0];
  if (firstVideo?.codec === 'h264') {
    const frames = await ffprobe(frameTypeArgs(target));
    // Without a complete answer the B-frames stay unknown rather than judged from a part of the frames.
    if (frames.timedOut || frames.exitCode !== 0) return;
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

function unreadableFromFfprobe(stderr: string): UnreadableProblem {
  const detail = stderr.split('\n').filter(Boolean).pop()?.replace(/^.*?: /, '');
  return { reason: 'corrupt', message: `the file cannot be decoded${detail ? `: ${detail}` : ''}` };
}
