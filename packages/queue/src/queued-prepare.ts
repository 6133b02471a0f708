import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, relative, sep } from 'node:path';
import { temporaryPathFor, type ProgressEvent } from '@wavid/foundation';
import { defaultOutputPath, type PrepareOptions, type PrepareResult, type PublishedByStep } from '@wavid/pipeline';
import { resolveProfile } from '@wavid/probe';
import { copyObject, hashFile } from '@wavid/publish';
import { QueuedJobError } from './queued-job-error.js';
import type { QueuedDestination, StoredObject, VideoJobResult } from './job-data.js';
import type { VideoQueue } from './video-queue.js';

/** `published` is set when the job was asked to publish: the worker did, from the bucket. */
export type QueuedPrepareResult = PrepareResult & { job: VideoJobResult; published?: PublishedByStep | undefined };

export interface QueuedPrepareDefaults {
  wavidVersion?: string | undefined;
  /**
   * Where workers publish each output (their own credentials): a link or a provider media id. The output is
   * in the bucket already, so publishing there spares the caller from uploading it again. Default: none.
   */
  destination?: QueuedDestination | undefined;
  /** An input already in a bucket, by its path (`s3://...`): queued as it is, not staged again. */
  stagedInput?: ((input: string) => StoredObject | undefined) | undefined;
  /**
   * Outputs stay in a bucket: the worker's output is copied to the key the output path names (see
   * {@link outputObjectKey}) inside the store instead of being fetched. Default: fetched to the path.
   */
  outputTo?: BucketOutputTarget | undefined;
}

/** Outputs kept in a bucket: the output path's place below `localRoot` names the key below `prefix`. */
export interface BucketOutputTarget {
  bucket: string;
  prefix: string;
  localRoot: string;
  /** Keys of `bucket` no output may be copied onto: the run's inputs there. Default: none. */
  inputKeys?: ReadonlySet<string> | undefined;
}

/** Where an output goes in the bucket, or why it may not go there (an input is never overwritten). */
export type OutputKeyVerdict = { kind: 'key'; key: string } | { kind: 'refused'; code: 'output-is-input'; key: string };

/** The key an output path takes below the target's prefix, refused when it is one of the inputs. Pure. */
export function outputObjectKey(target: BucketOutputTarget, output: string): OutputKeyVerdict {
  const below = relative(target.localRoot, output).split(sep).join('/');
  if (below === '' || below.startsWith('../') || below === '..') throw new TypeError(`the output ${output} is not below ${target.localRoot}`);
  const key = target.prefix === '' ? below : `${target.prefix}/${below}`;
  return target.inputKeys?.has(key) ? { kind: 'refused', code: 'output-is-input', key } : { kind: 'key', key };
}

/**
 * `prepare` with the work done by workers: the input is staged and queued (or attached to the job already
 * there), and the output is fetched from the bucket to `output` once a worker has made it. A failed job
 * rejects with a QueuedJobError carrying the stage's code. A cancel stops the waiting, not the job: the
 * next run attaches to it again.
 */
export function queuedPrepare(queue: VideoQueue, defaults: QueuedPrepareDefaults = {}) {
  return async (input: string, options: PrepareOptions = {}): Promise<QueuedPrepareResult> => {
    const signal = options.signal;
    const output = options.output ?? defaultOutputPath(input);
    const requested = options.profile ?? 'whatsapp';
    const profile = typeof requested === 'string' ? resolveProfile(requested, { maxSizeBytes: options.maxSizeBytes }) : requested;
    const job = {
      profile: profile.name,
      maxSizeBytes: profile.maxSizeBytes,
      h264Profile: options.h264Profile,
      wavidVersion: defaults.wavidVersion,
      destination: defaults.destination,
    };
    const staged = defaults.stagedInput?.(input);
    const handle = staged ? await queue.addStaged({ ...job, name: basename(staged.key), input: staged }) : await queue.add({ ...job, input, signal });
    // The worker reports the same events prepare() does, through the job.
    const onProgress = (progress: ProgressEvent) => {
      options.onProgress?.(progress);
    };
    handle.on('progress', onProgress);
    let result: VideoJobResult;
    try {
      result = await untilAborted(handle.result(), signal);
    } finally {
      handle.off('progress', onProgress);
    }
    options.onProgress?.({ stage: 'download', fraction: null });
    if (defaults.outputTo) await copyOutput(queue, result, defaults.outputTo, output, signal);
    else await fetchOutput(queue, result, output, signal);
    return {
      input,
      output,
      action: result.action,
      reasons: result.reasons,
      before: result.before.verdict,
      verdict: result.after.verdict,
      inputFacts: { ...result.before.facts, path: input },
      outputFacts: { ...result.after.facts, path: output },
      sizeBytes: result.output.sizeBytes,
      attempts: result.attempts,
      job: result,
      published: defaults.destination ? publishedBy(result) : undefined,
    };
  };
}

/** The promise, or the signal's reason as soon as it aborts: a cancel stops the waiting, not the job. */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => {
      signal.removeEventListener('abort', onAbort);
    });
  });
}

/** Downloads to a temporary name beside the output, checks the bytes against their name, then renames into place. */
async function fetchOutput(queue: VideoQueue, result: VideoJobResult, output: string, signal: AbortSignal | undefined): Promise<void> {
  const partial = temporaryPathFor(output, 'partial.mp4');
  try {
    await mkdir(dirname(output), { recursive: true });
    await queue.store.getFile(result.output.bucket, result.output.key, partial, signal);
    const { sha256 } = await hashFile(partial, { signal });
    if (sha256 !== result.output.sha256) {
      throw new QueuedJobError('store-failed', `s3://${result.output.bucket}/${result.output.key} holds other bytes than its name says (sha256 ${sha256})`, result.jobId, false);
    }
    await rename(partial, output);
  } finally {
    await rm(partial, { force: true });
  }
}

/** How the worker published, as the run records it. */
export function publishedBy(result: VideoJobResult): PublishedByStep {
  const delivered = result.delivery;
  const delivery = delivered === null ? null : delivered.mediaId !== null ? { mediaId: delivered.mediaId, expiresAt: delivered.expiresAt } : { link: delivered.link ?? '', expiresAt: delivered.expiresAt };
  // A worker returns a delivery error only for refusals that trying again meets again.
  const deliveryError = result.deliveryError ? { ...result.deliveryError, recovery: 'give-up' as const } : null;
  return { delivery, deliveryError };
}

/** Copies the worker's output to its place below the bucket prefix, inside the store: no bytes pass through here. */
async function copyOutput(queue: VideoQueue, result: VideoJobResult, target: BucketOutputTarget, output: string, signal: AbortSignal | undefined): Promise<void> {
  const verdict = outputObjectKey(target, output);
  if (verdict.kind === 'refused') {
    throw new QueuedJobError(verdict.code, `the output s3://${target.bucket}/${verdict.key} is an input of the run; an input is never overwritten`, result.jobId, true);
  }
  const { key } = verdict;
  const contentType = key.toLowerCase().endsWith('.3gp') ? 'video/3gpp' : 'video/mp4';
  await copyObject(queue.store.client, { bucket: result.output.bucket, key: result.output.key }, { bucket: target.bucket, key, contentType }, signal);
}
