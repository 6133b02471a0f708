import { mkdir, rm } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { resolveProfile, type ComplianceProfile, type MediaFacts } from '@wavid/probe';
import { hashFile, PROVIDER_NAMES, PublishError, type ProviderName } from '@wavid/publish';
import { recoveryOf, type Recovery } from '@wavid/foundation';
import { errorRecord, type Destination, type ProgressEvent } from '@wavid/pipeline';
import { JOB_FORMAT, type QueuedDestination, type VideoJobData, type VideoJobResult } from './job-data.js';
import { outputKey, resultKey } from './job-id.js';
import { jobFolder, sweepAbandonedFolders } from './job-folder.js';
import type { ObjectStore } from './object-store.js';
import type { VideoPipeline } from './video-pipeline.js';

/** What a worker brings to every job: its bucket client, the pipeline, a scratch folder, its own credentials. */
export interface JobContext {
  store: ObjectStore;
  pipeline: VideoPipeline;
  /** Each job works in `<workDir>/<job id>.<pid>`, removed when the job ends. */
  workDir: string;
  /** x264 threads per encode. */
  threads: number;
  /** S3 endpoint and region for publishing links, as for `wavid publish`. */
  endpoint?: string | undefined;
  region?: string | undefined;
  env: Readonly<Record<string, string | undefined>>;
}

/** A failure that is the input's, not the machine's: the staged object does not hash to its name. */
class InputMismatchError extends Error {
  override readonly name = 'InputMismatchError';
  readonly code = 'input-mismatch';
  readonly recovery: Recovery = 'give-up';
}

/**
 * One job: reuse the output already in the bucket for this job, or fetch the input, run the pipeline, and
 * store the output under its content hash, then the result beside it. Publishing comes last, so a retry
 * after a failed publish does not encode again. A renewal reuses the output of the job it republishes.
 */
export async function processVideoJob(
  job: { id: string; data: VideoJobData },
  context: JobContext,
  report: (progress: ProgressEvent) => void,
  signal: AbortSignal,
): Promise<VideoJobResult> {
  const { data } = job;
  if (data.format !== JOB_FORMAT) throw new TypeError(`job ${job.id} has payload format ${data.format}; this worker reads format ${JOB_FORMAT}`);
  if (data.republish && !/^[0-9a-f]{64}$/.test(data.republish.of)) throw new TypeError(`job ${job.id} republishes '${data.republish.of}', which is not a job id`);
  const profile = resolveProfile(data.settings.profile, { maxSizeBytes: data.settings.maxSizeBytes });
  const folder = jobFolder(context.workDir, job.id);
  await sweepAbandonedFolders(context.workDir, job.id);
  await rm(folder, { recursive: true, force: true });
  await mkdir(folder, { recursive: true });
  try {
    // The output and its result are kept under the id of the job that made them.
    const madeBy = data.republish?.of ?? job.id;
    const recorded = await recordedResult(madeBy, data, context.store, signal);
    let result: VideoJobResult;
    let outputPath = join(folder, 'output.mp4');
    if (recorded) {
      result = { ...recorded, reused: true };
      if (data.destination) {
        report({ stage: 'download', fraction: null });
        await context.store.getFile(recorded.output.bucket, recorded.output.key, outputPath, signal);
      }
    } else {
      result = await makeOutput(madeBy, data, profile, context, folder, report, signal);
      outputPath = join(folder, 'output.mp4');
    }
    if (!data.destination) return result;
    report({ stage: 'publish', fraction: 0 });
    try {
      const delivered = await context.pipeline.deliver(outputPath, pipelineDestination(data.destination, context), { profile, env: context.env, signal });
      return { ...result, delivery: { link: delivered.link ?? null, mediaId: delivered.mediaId ?? null, expiresAt: delivered.expiresAt }, deliveryError: null };
    } catch (error) {
      // A refusal that another attempt meets again is kept with the output; anything else is tried again.
      if (recoveryOf(error, signal) !== 'give-up') throw error;
      const { code, message } = errorRecord(error, signal);
      return { ...result, delivery: null, deliveryError: { code, message } };
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

async function recordedResult(jobId: string, data: VideoJobData, store: ObjectStore, signal: AbortSignal): Promise<VideoJobResult | null> {
  // A record too large to be one of ours is not used: the output is made again and the record written over it.
  const recorded = await store.getJson(data.outputs.bucket, resultKey(data.outputs.prefix, jobId), signal).catch((error: unknown) => {
    if (error instanceof PublishError && error.code === 'object-too-large') return null;
    throw error;
  });
  const value = recorded as VideoJobResult | null;
  if (value?.format !== JOB_FORMAT || value.jobId !== jobId) return null;
  // The record is written after the output, so a record without its output means the output was deleted since.
  const size = await store.size(value.output.bucket, value.output.key, signal);
  return size === value.output.sizeBytes ? value : null;
}

async function makeOutput(
  jobId: string,
  data: VideoJobData,
  profile: ComplianceProfile,
  context: JobContext,
  folder: string,
  report: (progress: ProgressEvent) => void,
  signal: AbortSignal,
): Promise<VideoJobResult> {
  const { store } = context;
  const inputPath = join(folder, `input${safeExtension(data.name)}`);
  report({ stage: 'download', fraction: null });
  await store.getFile(data.input.bucket, data.input.key, inputPath, signal);
  const staged = await hashFile(inputPath, { signal });
  if (staged.sha256 !== data.input.sha256) {
    throw new InputMismatchError(`s3://${data.input.bucket}/${data.input.key} holds other bytes than the input ${data.name} (sha256 ${staged.sha256})`);
  }

  const outputPath = join(folder, 'output.mp4');
  const prepared = await context.pipeline.prepare(inputPath, {
    output: outputPath,
    profile,
    h264Profile: data.settings.h264Profile,
    threads: context.threads,
    signal,
    onProgress: report,
  });

  report({ stage: 'upload', loaded: null, total: null, fraction: null });
  const { sha256, sizeBytes } = await hashFile(outputPath, { signal });
  const output = { bucket: data.outputs.bucket, key: outputKey(data.outputs.prefix, sha256), sha256, sizeBytes };
  // Named by content: an object of that name and size is this output, made by another job or an earlier attempt.
  if ((await store.size(output.bucket, output.key, signal)) !== sizeBytes) await store.putFile(output.bucket, output.key, outputPath, 'video/mp4', signal);

  const result: VideoJobResult = {
    format: JOB_FORMAT,
    jobId,
    name: data.name,
    input: data.input,
    output,
    action: prepared.action,
    reasons: prepared.reasons,
    attempts: prepared.attempts,
    before: { facts: named(prepared.inputFacts, data.name), verdict: prepared.before },
    after: { facts: named(prepared.outputFacts, data.name), verdict: prepared.verdict },
    delivery: null,
    deliveryError: null,
    reused: false,
  };
  await store.putJson(data.outputs.bucket, resultKey(data.outputs.prefix, jobId), result, signal);
  return result;
}

/** Facts name the input, not the worker's scratch file. */
function named(facts: MediaFacts, name: string): MediaFacts {
  return { ...facts, path: name };
}

function safeExtension(name: string): string {
  const ext = extname(name);
  return /^\.[a-z0-9]{1,8}$/i.test(ext) ? ext.toLowerCase() : '';
}

function pipelineDestination(destination: QueuedDestination, context: JobContext): Destination {
  if (destination.kind === 'link') {
    return {
      kind: 'link',
      bucket: destination.bucket,
      prefix: destination.prefix ?? undefined,
      endpoint: context.endpoint,
      region: context.region,
      expiresInSeconds: destination.expiresInSeconds ?? undefined,
      publicBaseUrl: destination.publicBaseUrl ?? undefined,
      client: context.store.client,
    };
  }
  if (!(PROVIDER_NAMES as readonly string[]).includes(destination.provider)) throw new TypeError(`job names an unknown provider '${destination.provider}'`);
  return { kind: 'media-id', provider: destination.provider as ProviderName, baseUrl: destination.baseUrl ?? undefined };
}
