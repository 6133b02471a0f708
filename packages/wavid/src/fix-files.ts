import { stat } from 'node:fs/promises';
import PQueue from 'p-queue';
import { checkCompliance, probe, type ComplianceProfile, type ViolationCode } from '@wavid/probe';
import { fixVideo, planRemediation, TranscodeError, type FixProgress, type RemediationAction, type TranscodeErrorCode } from '@wavid/transcode';

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
  error: { code: TranscodeErrorCode | 'internal'; message: string } | null;
}

export interface FixJob {
  input: string;
  output: string;
}

export interface FixFilesOptions {
  profile: ComplianceProfile;
  concurrency: number;
  /** x264 threads per encode. */
  threads: number;
  /** Replace outputs that are already up to date. */
  overwrite: boolean;
  h264Profile?: 'main' | 'baseline' | undefined;
  signal?: AbortSignal | undefined;
  onStart?: ((index: number) => void) | undefined;
  onProgress?: ((index: number, event: FixProgress) => void) | undefined;
  onResult?: ((result: FileFix, index: number) => void) | undefined;
}

/** Fixes files a few at a time; results come back in the order of `jobs`. Rejects only when cancelled. */
export async function fixFiles(jobs: readonly FixJob[], options: FixFilesOptions): Promise<FileFix[]> {
  const queue = new PQueue({ concurrency: options.concurrency });
  return Promise.all(
    jobs.map((job, index) =>
      queue.add(
        async () => {
          options.onStart?.(index);
          const result = await fixOne(job, index, options);
          options.onResult?.(result, index);
          return result;
        },
        { signal: options.signal },
      ),
    ),
  );
}

async function fixOne(job: FixJob, index: number, options: FixFilesOptions): Promise<FileFix> {
  const base: FileFix = { input: job.input, output: job.output, action: null, ok: false, kept: false, before: [], after: [], sizeBytes: null, attempts: 0, error: null };
  if (!options.overwrite) {
    const kept = await keptOutput(job, options);
    if (kept) return kept;
  }
  try {
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
