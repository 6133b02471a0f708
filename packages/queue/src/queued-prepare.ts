import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { temporaryPathFor, type ProgressEvent } from '@wavid/foundation';
import { defaultOutputPath, type PrepareOptions, type PrepareResult } from '@wavid/pipeline';
import { resolveProfile } from '@wavid/probe';
import { hashFile } from '@wavid/publish';
import { QueuedJobError } from './queued-job-error.js';
import type { VideoJobResult } from './job-data.js';
import type { VideoQueue } from './video-queue.js';

export type QueuedPrepareResult = PrepareResult & { job: VideoJobResult };

/**
 * `prepare` with the work done by workers: the input is staged and queued (or attached to the job already
 * there), and the output is fetched from the bucket to `output` once a worker has made it. A failed job
 * rejects with a QueuedJobError carrying the stage's code. A cancel stops the waiting, not the job: the
 * next run attaches to it again.
 */
export function queuedPrepare(queue: VideoQueue, defaults: { wavidVersion?: string | undefined } = {}) {
  return async (input: string, options: PrepareOptions = {}): Promise<QueuedPrepareResult> => {
    const signal = options.signal;
    const output = options.output ?? defaultOutputPath(input);
    const requested = options.profile ?? 'whatsapp';
    const profile = typeof requested === 'string' ? resolveProfile(requested, { maxSizeBytes: options.maxSizeBytes }) : requested;
    const handle = await queue.add({
      input,
      profile: profile.name,
      maxSizeBytes: profile.maxSizeBytes,
      h264Profile: options.h264Profile,
      wavidVersion: defaults.wavidVersion,
      signal,
    });
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
    await fetchOutput(queue, result, output, signal);
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
    };
  };
}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
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
