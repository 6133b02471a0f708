import { cancelError, isTemporaryNameFor, temporaryPathFor } from '@wavid/foundation';
import { copyFile, lstat, mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import {
  checkCompliance,
  demuxerFor,
  formatBytes,
  probe,
  ProbeError,
  type ComplianceVerdict,
  type MediaFacts,
  type MediaInput,
  type ViolationCode,
} from '@wavid/probe';
import { TranscodeError } from './errors.js';
import { defaultFfmpegPath } from './ffmpeg/ffmpeg-path.js';
import type { FfmpegJob } from './ffmpeg/ffmpeg-job.js';
import { adtsPayloadBytes, audioMeasureArgs } from './ffmpeg/measure-audio.js';
import { fractionDone } from './ffmpeg/parse-ffmpeg-progress.js';
import { remuxArgs } from './ffmpeg/remux-args.js';
import { runFfmpeg } from './ffmpeg/run-ffmpeg.js';
import { transcodeArgs, type EncodePass } from './ffmpeg/transcode-args.js';
import { setVideoEnd } from './mp4/set-video-end.js';
import { defaultTimeoutMs, resolveFixOptions, type FixVideoOptions, type ResolvedFixOptions } from './options.js';
import { audioBitrateFor, MIN_VIDEO_BITRATE, planBudget, type BudgetRequest, type EncodeBudget } from './plan/size-budget.js';
import { outputContainerFor } from './output-container.js';
import { planRemediation, type AudioPlan, type OutputContainer, type RemediationAction, type RemediationPlan } from './plan/plan-remediation.js';
import { budgetAfterUndershoot, budgetBetween, nextVideoBitrate, type TriedEncode } from './plan/retry-bitrate.js';

/** What `fixVideo` did, and the proof: the output's facts and verdict. */
export interface FixResult {
  input: string;
  output: string;
  action: RemediationAction;
  /** The plan for the input (a remux that came out over the cap is followed by a transcode). */
  plan: Extract<RemediationPlan, { ok: true }>;
  /** ffmpeg runs that wrote a candidate output (0 for a copy). */
  attempts: number;
  /** Size of each of those candidates in bytes, in order: how close each came to the cap. */
  attemptBytes: number[];
  sizeBytes: number;
  before: MediaFacts;
  beforeViolations: ViolationCode[];
  after: MediaFacts;
  afterVerdict: ComplianceVerdict;
  /** The size budget of a transcode's last attempt; null for copy and remux. */
  budget: EncodeBudget | null;
}

type SuccessfulPlan = Extract<RemediationPlan, { ok: true }>;

/**
 * Makes one video comply with the least work: copy, remux or transcode, as `planRemediation` decides.
 * The output is written under a temporary name in its folder and renamed only once `probe` and
 * `checkCompliance` pass on it; on failure or cancel nothing is left behind. Rejects with a TranscodeError.
 */
export async function fixVideo(options: FixVideoOptions): Promise<FixResult> {
  const settings = resolveFixOptions(options);
  const input = resolve(settings.input);
  const output = resolve(settings.output);
  if (input === output || (await sameFile(input, output))) {
    throw new TranscodeError('io', `output is the input file (${settings.input}); an input is never overwritten`, { input: settings.input });
  }

  settings.onProgress({ stage: 'probe', fraction: null });
  const before = await probeOrThrow(input, settings);
  const container = outputContainerFor(output);
  const plan = planRemediation(before, settings.profile, { forceTranscode: settings.forceTranscode, container });
  if (!plan.ok) throw new TranscodeError(plan.error.code, plan.error.message, { input: settings.input });
  const demuxer = demuxerFor(before);
  // A plan exists only for media the probe identified; ffmpeg never guesses what a file is.
  if (demuxer === null) throw new TranscodeError('unreadable', 'the container could not be identified from its bytes', { input: settings.input });

  await fileStep(settings, `cannot create the output folder ${dirname(settings.output)}`, () => mkdir(dirname(output), { recursive: true }));
  await removeKilledWrites(output);
  const temp = temporaryPathFor(output, 'partial.mp4');
  try {
    const written = await writeOutput({ settings, input: { path: input, demuxer }, temp, plan, before, container });
    await fileStep(settings, `cannot move the finished file to ${settings.output}`, () => rename(temp, output));
    return {
      input: settings.input,
      output: settings.output,
      action: written.action,
      plan,
      attempts: written.attempts,
      attemptBytes: written.attemptBytes,
      sizeBytes: written.after.sizeBytes,
      before,
      beforeViolations: plan.violations,
      after: { ...written.after, path: settings.output },
      afterVerdict: written.verdict,
      budget: written.budget,
    };
  } catch (error) {
    // A failed clean-up must not hide why the run failed.
    await rm(temp, { force: true }).catch(() => undefined);
    if (settings.signal?.aborted) throw cancelError(settings.signal);
    throw error;
  }
}

interface WriteRequest {
  settings: ResolvedFixOptions;
  input: MediaInput;
  temp: string;
  plan: SuccessfulPlan;
  before: MediaFacts;
  container: OutputContainer;
}

interface Written {
  action: RemediationAction;
  attempts: number;
  attemptBytes: number[];
  after: MediaFacts;
  verdict: ComplianceVerdict;
  budget: EncodeBudget | null;
}

async function writeOutput(request: WriteRequest): Promise<Written> {
  const { settings, plan, temp } = request;
  if (plan.action === 'copy') {
    settings.onProgress({ stage: 'fix', action: 'copy', attempt: 1, fraction: 0, speed: null });
    await fileStep(settings, `cannot copy the input to ${dirname(settings.output)}`, () => copyFile(request.input.path, temp));
    const checked = await verify(temp, settings);
    if (!checked.verdict.ok) throw notCompliant(settings, checked.verdict);
    return { action: 'copy', attempts: 0, attemptBytes: [], ...checked, budget: null };
  }
  if (plan.action === 'remux') {
    const durationSeconds = request.before.durationSeconds;
    const job = remuxArgs({ input: request.input, output: temp, container: request.container, audio: plan.audio, audioBitrate: audioBitrateFor(Infinity, plan.audio.kind === 'none' ? 2 : (plan.audio.channels ?? 2)) });
    await run(job, settings, { action: 'remux', attempt: 1, durationSeconds });
    const checked = await verify(temp, settings);
    if (checked.verdict.ok) return { action: 'remux', attempts: 1, attemptBytes: [checked.after.sizeBytes], ...checked, budget: null };
    // The new container holds the same picture; only the cap can still be missed (new audio, lost overhead savings).
    if (!checked.verdict.violations.every((violation) => violation.code === 'size')) throw notCompliant(settings, checked.verdict);
    const transcoded = await transcode({ ...request, plan: { ...plan, action: 'transcode', video: 'encode', audio: encodeAudio(plan) } }, [checked.after.sizeBytes]);
    return transcoded;
  }
  return transcode(request, []);
}

function encodeAudio(plan: SuccessfulPlan): SuccessfulPlan['audio'] {
  return plan.audio.kind === 'copy' ? { ...plan.audio, kind: 'encode' } : plan.audio;
}

/**
 * Encodes to the size budget; re-encodes lower when the result is over the cap, and higher when a source
 * over the cap came out under 90% of it (keeping the smaller output if the bigger one comes out over).
 */
async function transcode(request: WriteRequest, earlierAttemptBytes: number[]): Promise<Written> {
  const { settings, before, plan, temp } = request;
  const video = before.video[0];
  const durationSeconds = before.durationSeconds ?? video?.durationSeconds ?? null;
  if (!video || durationSeconds === null) {
    throw new TranscodeError('unreadable', 'the length of the video is unknown, so no size budget can be set', { input: settings.input });
  }
  const cap = settings.profile.maxSizeBytes;
  const budgetRequest: BudgetRequest = {
    durationSeconds,
    maxSizeBytes: cap,
    targetFraction: settings.targetFraction,
    displayWidth: video.displayWidth,
    displayHeight: video.displayHeight,
    frameRate: video.frameRate,
    audioChannels: plan.audio.kind === 'none' ? null : (plan.audio.channels ?? 2),
  };
  let result = planBudget(budgetRequest);
  if (!result.fits) throw cannotFit(settings, durationSeconds, result.maxDurationSeconds);
  // Only a source over the cap has to give up quality to fit; one re-encoded for other reasons is not pushed up to it.
  const fillCap = before.sizeBytes > cap;
  if (fillCap && plan.audio.kind !== 'none') {
    // What the audio leaves of its bitrate goes to the picture, so the first encode lands near the target.
    const measured = await measureAudio(request, plan.audio, result.budget.audioBitrate, durationSeconds);
    if (measured !== null) {
      const remeasured = planBudget({ ...budgetRequest, measuredAudio: { bitrate: result.budget.audioBitrate, bytes: measured } });
      if (remeasured.fits) result = remeasured;
    }
  }

  let budget = result.budget;
  const attemptBytes = [...earlierAttemptBytes];
  // An output under the cap kept aside while a bigger one is tried; it stands if that one comes out over.
  // Named like the temporary output, so what a killed run leaves is cleaned up the same way.
  const keptPath = temporaryPathFor(settings.output, 'partial.mp4');
  let kept: TriedEncode | null = null;
  // A source over the cap is encoded in two passes: one-pass x264 cannot see that a clip turns easy later
  // and leaves up to half the cap unused. Every attempt reuses the one analysis, kept beside the output
  // (it can take a hundred MB for long 1080p clips) under a temporary name, so a killed run's is swept too.
  const passFolder = fillCap ? temporaryPathFor(resolve(settings.output), 'tmp') : null;
  if (passFolder !== null) await fileStep(settings, "cannot create a folder for the encoder's first pass", () => mkdir(passFolder));
  const jobFor = (pass: EncodePass | undefined): FfmpegJob =>
    transcodeArgs({
      input: request.input,
      output: temp,
      width: budget.width,
      height: budget.height,
      videoBitrate: budget.videoBitrate,
      level: budget.level,
      profile: settings.h264Profile,
      preset: settings.preset,
      threads: settings.threads,
      audio: plan.audio,
      audioBitrate: budget.audioBitrate,
      hdr: video.hdr,
      frameRateCap: budget.frameRateCap,
      frameRate: budget.frameRate,
      container: request.container,
      pass,
    });
  try {
    const logPrefix = passFolder === null ? null : join(passFolder, 'x264');
    if (logPrefix !== null) await measure(jobFor({ pass: 1, logPrefix }), settings, durationSeconds);
    for (let attempt = 1; attempt <= settings.maxAttempts; attempt++) {
      const job = jobFor(logPrefix === null ? undefined : { pass: 2, logPrefix });
      await run(job, settings, { action: 'transcode', attempt, durationSeconds });
      // The last frame is shown as long as in the source (ffmpeg does not carry its duration over).
      if (video.durationSeconds !== null) {
        const end = video.durationSeconds;
        await fileStep(settings, 'cannot set the length of the last frame', () => setVideoEnd(temp, end));
      }
      const { size } = await fileStep(settings, 'cannot read the size of the written file', () => stat(temp));
      attemptBytes.push(size);
      if (size <= cap) {
        if (kept && size < kept.actualBytes) {
          // Aimed higher and came out smaller: the one kept aside stands.
          await fileStep(settings, 'cannot restore the attempt under the cap', () => rename(keptPath, temp));
          return await finish(kept.budget);
        }
        const bigger = fillCap && attempt < settings.maxAttempts ? budgetAfterUndershoot({ budget, actualBytes: size, maxSizeBytes: cap }) : null;
        if (bigger === null) return await finish(budget);
        await fileStep(settings, 'cannot keep the first attempt aside', () => rename(temp, keptPath));
        kept = { budget, actualBytes: size };
        budget = bigger;
        continue;
      }
      if (kept) {
        // The retry aimed higher overshot: one more try between the two, else the one under the cap stands.
        const between = attempt < settings.maxAttempts ? budgetBetween({ under: kept, over: { budget, actualBytes: size }, maxSizeBytes: cap }) : null;
        if (between !== null) {
          budget = between;
          continue;
        }
        await fileStep(settings, 'cannot restore the attempt under the cap', () => rename(keptPath, temp));
        return await finish(kept.budget);
      }
      const videoBitrate = nextVideoBitrate({ budget, actualBytes: size });
      if (videoBitrate < MIN_VIDEO_BITRATE) break;
      budget = { ...budget, videoBitrate, bitsPerPixel: videoBitrate / (budget.width * budget.height * budget.frameRate) };
    }
  } finally {
    await rm(keptPath, { force: true }).catch(() => undefined);
    if (passFolder !== null) await rm(passFolder, { recursive: true, force: true }).catch(() => undefined);
  }
  throw cannotFit(settings, durationSeconds, null);

  async function finish(used: EncodeBudget): Promise<Written> {
    const checked = await verify(temp, settings);
    if (!checked.verdict.ok) throw notCompliant(settings, checked.verdict);
    return { action: 'transcode', attempts: attemptBytes.length, attemptBytes, ...checked, budget: used };
  }
}

/**
 * The AAC payload bytes of the input's audio encoded alone as the transcode will encode it, or null when
 * the encoder's output cannot be read (the budget then takes the audio at its full bitrate).
 */
async function measureAudio(request: WriteRequest, audio: Exclude<AudioPlan, { kind: 'none' }>, audioBitrate: number, durationSeconds: number): Promise<number | null> {
  const { settings } = request;
  const path = temporaryPathFor(resolve(settings.output), 'tmp');
  try {
    await measure(audioMeasureArgs({ input: request.input, output: path, audio, audioBitrate }), settings, durationSeconds);
    const bytes = await fileStep(settings, 'cannot read the measured audio', () => readFile(path));
    return adtsPayloadBytes(bytes);
  } finally {
    await rm(path, { force: true }).catch(() => undefined);
  }
}

/** An ffmpeg run that learns about the input before the encode: the audio alone, or the first pass of two. */
async function measure(job: FfmpegJob, settings: ResolvedFixOptions, durationSeconds: number): Promise<void> {
  settings.onProgress({ stage: 'measure', fraction: 0 });
  await runFfmpeg({
    binary: settings.ffmpegPath ?? defaultFfmpegPath(),
    job,
    timeoutMs: settings.timeoutMs ?? defaultTimeoutMs(durationSeconds),
    signal: settings.signal,
    label: settings.input,
    onStatus: (status) => {
      settings.onProgress({ stage: 'measure', fraction: fractionDone(status, durationSeconds) });
    },
  });
}

async function run(job: FfmpegJob, settings: ResolvedFixOptions, step: { action: RemediationAction; attempt: number; durationSeconds: number | null }): Promise<void> {
  settings.onProgress({ stage: 'fix', action: step.action, attempt: step.attempt, fraction: 0, speed: null });
  await runFfmpeg({
    binary: settings.ffmpegPath ?? defaultFfmpegPath(),
    job,
    timeoutMs: settings.timeoutMs ?? defaultTimeoutMs(step.durationSeconds),
    signal: settings.signal,
    label: settings.input,
    onStatus: (status) => {
      settings.onProgress({ stage: 'fix', action: step.action, attempt: step.attempt, fraction: fractionDone(status, step.durationSeconds), speed: status.speed });
    },
  });
}

async function verify(path: string, settings: ResolvedFixOptions): Promise<{ after: MediaFacts; verdict: ComplianceVerdict }> {
  settings.onProgress({ stage: 'verify', fraction: null });
  const after = await probeOrThrow(path, settings);
  if (after.source === 'isobmff+ffprobe') {
    throw new TranscodeError('encode-failed', "the written file's moov box cannot be parsed by wavid's own reader", { input: settings.input });
  }
  return { after, verdict: checkCompliance(after, settings.profile) };
}

/** Runs one file-system step of the output; its failure (ENOSPC, EACCES, a failed rename) becomes `io` with the cause attached. */
async function fileStep<T>(settings: ResolvedFixOptions, failure: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw new TranscodeError('io', `${failure}: ${error instanceof Error ? error.message : String(error)}`, { input: settings.input, cause: error });
  }
}

/** Two paths name one file: a link, or another spelling on a case-insensitive disk. */
async function sameFile(a: string, b: string): Promise<boolean> {
  const [first, second] = await Promise.all([stat(a, { bigint: true }).catch(() => null), stat(b, { bigint: true }).catch(() => null)]);
  return first !== null && second !== null && first.dev === second.dev && first.ino === second.ino;
}

async function probeOrThrow(path: string, settings: ResolvedFixOptions): Promise<MediaFacts> {
  try {
    return await probe(path, { signal: settings.signal, ffprobePath: settings.ffprobePath });
  } catch (error) {
    if (settings.signal?.aborted) throw cancelError(settings.signal);
    if (error instanceof ProbeError) throw new TranscodeError('io', error.message, { input: settings.input, cause: error });
    throw error;
  }
}

function notCompliant(settings: ResolvedFixOptions, verdict: ComplianceVerdict): TranscodeError {
  const reasons = verdict.violations.map((violation) => `[${violation.code}] ${violation.message}`).join(' ');
  return new TranscodeError('encode-failed', `the written file does not comply: ${reasons}`, { input: settings.input });
}

function cannotFit(settings: ResolvedFixOptions, durationSeconds: number, maxDurationSeconds: number | null): TranscodeError {
  const cap = `${formatBytes(settings.profile.maxSizeBytes)} (${settings.profile.maxSizeBytes.toLocaleString('en-US')} bytes)`;
  const longest = maxDurationSeconds === null ? '' : ` A clip can be at most ${formatDuration(maxDurationSeconds)} long for this cap; cut it shorter or split it.`;
  return new TranscodeError(
    'cannot-fit',
    `a ${formatDuration(durationSeconds)} clip cannot fit in ${cap} at the lowest quality wavid accepts (${MIN_VIDEO_BITRATE / 1000} kbit/s video).${longest}`,
    { input: settings.input, maxDurationSeconds: maxDurationSeconds ?? undefined },
  );
}

/** `13 min 50 s`, `45 s`. */
export function formatDuration(seconds: number): string {
  const whole = Math.floor(seconds);
  const minutes = Math.floor(whole / 60);
  const rest = whole % 60;
  if (minutes === 0) return `${rest} s`;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}

/**
 * Removes what an earlier write of this very output left when its process was killed (SIGKILL leaves no
 * chance to clean up): files, and the encoder's first-pass folders, under the temporary names made for
 * this output's name; nothing else, and never through a link.
 */
async function removeKilledWrites(output: string): Promise<void> {
  const dir = dirname(output);
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    if (!isTemporaryNameFor(name, basename(output))) continue;
    const stats = await lstat(join(dir, name)).catch(() => null);
    if (stats?.isFile() || stats?.isDirectory()) await rm(join(dir, name), { recursive: true, force: true });
  }
}
