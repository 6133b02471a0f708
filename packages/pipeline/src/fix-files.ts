import { stat } from 'node:fs/promises';
import PQueue from 'p-queue';
import { checkCompliance, probe, type ComplianceProfile, type ViolationCode } from '@wavid/probe';
import { fixVideo, planRemediation, TranscodeError, type ProgressEvent, type RemediationAction, type TranscodeErrorCode } from '@wavid/transcode';
import { throwIfCancelled } from '@wavid/foundation';
import { inputIdentities, outputRefusal, type InputIdentities, type OutputRefusalCode } from './inputs/input-guard.js';

/** The outcome of one input, in the shape `wavid fix --format json` prints. */
export interface FileFix {
  input: string;
  output: string;
  /** What was (or would have been) done; null when the input could not be planned. */
  action: RemediationAction | null;
  ok: boolean;
  /** The output was already there, newer than the input and compliant, so it was kept. */
  kept: boolean;
  /** Violation codes of the input. */
  before: ViolationCode[];
  /** Violation codes of the output (empty when it complies); empty when there is no output. */
  after: ViolationCode[];
  sizeBytes: number | null;
  attempts: number;
  error: { code: TranscodeErrorCode | OutputRefusalCode | 'internal'; message: string } | null;
}

export interface FixJob {
  input: string;
  output: string;
}

export interface FixFilesOptions {
  /** The folder every output must stay in: an output whose way leads out of it through a link is refused. */
  outDir: string;
  profile: ComplianceProfile;
  concurrency: number;
  /** x264 threads per encode. */
  threads: number;
  /** Replace outputs that are already up to date. */
  overwrite: boolean;
  h264Profile?: 'main' | 'baseline' | undefined;
  signal?: AbortSignal | undefined;
  onStart?: ((index: number) => void) | undefined;
  onProgress?: ((index: number, event: ProgressEvent) => void) | undefined;
  onResult?: ((result: FileFix, index: number) => void) | undefined;
}

/**
 * Fixes files a few at a time; results come back in the order of `jobs`. A job whose output is one of the
 * inputs (by path, or the same file through a link) or lands outside `outDir` is refused, with the codes
 * `wavid run` gives (see `outputRefusal`). Rejects only when cancelled.
 */
export async function fixFiles(jobs: readonly FixJob[], options: FixFilesOptions): Promise<FileFix[]> {
  const inputs = await inputIdentities(jobs.map((job) => job.input));
  const queue = new PQueue({ concurrency: options.concurrency });
  return Promise.all(
    jobs.map((job, index) =>
      queue.add(async () => {
        // The signal is checked here rather than handed to the queue, which would add a listener per file.
        throwIfCancelled(options.signal);
        options.onStart?.(index);
        const result = await fixOne(job, index, options, inputs);
        options.onResult?.(result, index);
        return result;
      }),
    ),
  );
}

async function fixOne(job: FixJob, index: number, options: FixFilesOptions, inputs: InputIdentities): Promise<FileFix> {
  const base: FileFix = { input: job.input, output: job.output, action: null, ok: false, kept: false, before: [], after: [], sizeBytes: null, attempts: 0, error: null };
  const refusal = await outputRefusal({ output: job.output, outDir: options.outDir, inputs });
  if (refusal) return { ...base, error: refusal };
  try {
    if (!options.overwrite) {
      const kept = await keptOutput(job, options);
      if (kept) return kept;
    }
    const result = await fixVideo({
      input: job.input,
      output: job.output,
      profile: options.profile,
      threads: options.threads,
      h264Profile: options.h264Profile,
      signal: options.signal,
      onProgress: (event) => options.onProgress?.(index, event),
    });
    return {
      ...base,
      action: result.action,
      ok: result.afterVerdict.ok,
      before: result.beforeViolations,
      after: result.afterVerdict.violations.map((violation) => violation.code),
      sizeBytes: result.sizeBytes,
      attempts: result.attempts,
    };
  } catch (error) {
    if (options.signal?.aborted) throw error;
    if (error instanceof TranscodeError) {
      return { ...base, before: await inputViolations(job.input, options.profile), error: { code: error.code, message: error.message } };
    }
    return { ...base, error: { code: 'internal', message: error instanceof Error ? error.message : String(error) } };
  }
}

/** An output newer than its input that complies is kept as it is (unless --overwrite). */
async function keptOutput(job: FixJob, options: FixFilesOptions): Promise<FileFix | null> {
  const [inputStats, outputStats] = await Promise.all([stat(job.input).catch(() => null), stat(job.output).catch(() => null)]);
  if (!inputStats || !outputStats || outputStats.mtimeMs < inputStats.mtimeMs) return null;
  // Anything odd about either file (unreadable, vanished) means the output is simply made again.
  const probed = await Promise.all([probe(job.input, { signal: options.signal }), probe(job.output, { signal: options.signal })]).catch(() => null);
  if (!probed) return null;
  const [before, after] = probed;
  const verdict = checkCompliance(after, options.profile);
  if (!verdict.ok) return null;
  const plan = planRemediation(before, options.profile);
  return {
    input: job.input,
    output: job.output,
    action: plan.ok ? plan.action : null,
    ok: true,
    kept: true,
    before: plan.violations,
    after: [],
    sizeBytes: after.sizeBytes,
    attempts: 0,
    error: null,
  };
}

async function inputViolations(path: string, profile: ComplianceProfile): Promise<ViolationCode[]> {
  const facts = await probe(path).catch(() => null);
  return facts ? checkCompliance(facts, profile).violations.map((violation) => violation.code) : [];
}
