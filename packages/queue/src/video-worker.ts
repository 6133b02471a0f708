import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnrecoverableError, WaitingError, Worker, type Job } from 'bullmq';
import { recoveryOf, type ProgressEvent } from '@wavid/foundation';
import { errorRecord } from '@wavid/pipeline';
import { createStoreClient } from '@wavid/publish';
import { QueueOptionError } from './errors.js';
import { DEFAULT_QUEUE_NAME, type VideoJobData, type VideoJobResult } from './job-data.js';
import { sweepAbandonedFolders } from './job-folder.js';
import { objectStore } from './object-store.js';
import { processVideoJob } from './process-video-job.js';
import { connectRedis, type RedisLocation } from './redis-connection.js';
import { LIBRARY_PIPELINE, type VideoPipeline } from './video-pipeline.js';
import { DEFAULT_LOCK_DURATION_MS, DEFAULT_MAX_STALLED_COUNT, DEFAULT_SHUTDOWN_GRACE_MS, DEFAULT_STALLED_INTERVAL_MS } from './defaults.js';


export interface VideoWorkerOptions {
  redis: RedisLocation;
  /** Default: the library's `prepare` and `deliver`. */
  pipeline?: VideoPipeline | undefined;
  /** Jobs run at once. Default 1. */
  concurrency?: number | undefined;
  /** x264 threads per encode. Default 1, as for `wavid run`'s files side by side. */
  threads?: number | undefined;
  queueName?: string | undefined;
  /** Scratch folder for inputs and outputs while a job runs. Default: `<tmp>/wavid-worker`. */
  workDir?: string | undefined;
  /** S3 endpoint and region, as for `wavid publish`; credentials from the AWS SDK's chain. */
  endpoint?: string | undefined;
  region?: string | undefined;
  env?: Readonly<Record<string, string | undefined>> | undefined;
  lockDurationMs?: number | undefined;
  stalledIntervalMs?: number | undefined;
  maxStalledCount?: number | undefined;
  /** Progress is sent to Redis at most this often per job. Default 500 ms. */
  progressIntervalMs?: number | undefined;
  onEvent?: ((event: WorkerEvent) => void) | undefined;
}

/** What a worker tells its operator: never a URL with a password, never a credential. */
export type WorkerEvent =
  | { type: 'started'; jobId: string; name: string; attempt: number }
  | { type: 'completed'; jobId: string; name: string; result: VideoJobResult }
  | { type: 'failed'; jobId: string; name: string; code: string; message: string; final: boolean }
  | { type: 'handed-back'; jobId: string; name: string }
  | { type: 'error'; message: string };

export interface VideoWorker {
  /** Stops taking jobs, lets current ones finish for `graceMs`, hands back the rest, and disconnects. */
  close(options?: { graceMs?: number | undefined }): Promise<void>;
  readonly worker: Worker<VideoJobData, VideoJobResult>;
}

function checkCount(value: number | undefined, option: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1 || value > max) throw new QueueOptionError(option, `${option} must be a whole number from 1 to ${max}; got ${value}`);
  return value;
}

/** Starts pulling jobs. Scratch folders left by dead workers on this machine are removed first. */
export async function startVideoWorker(options: VideoWorkerOptions): Promise<VideoWorker> {
  const concurrency = checkCount(options.concurrency, 'concurrency', 1, 64);
  const threads = checkCount(options.threads, 'threads', 1, 64);
  const workDir = options.workDir ?? join(tmpdir(), 'wavid-worker');
  const env = options.env ?? process.env;
  const progressInterval = options.progressIntervalMs ?? 500;
  await mkdir(workDir, { recursive: true });
  await sweepAbandonedFolders(workDir);

  const client = createStoreClient({ endpoint: options.endpoint, region: options.region, env });
  const context = { store: objectStore(client), pipeline: options.pipeline ?? LIBRARY_PIPELINE, workDir, threads, endpoint: options.endpoint, region: options.region, env };
  const emit = (event: WorkerEvent) => options.onEvent?.(event);
  let closing = false;

  const processor = async (job: Job<VideoJobData, VideoJobResult>, token?: string, signal?: AbortSignal): Promise<VideoJobResult> => {
    const jobId = job.id ?? '';
    const name = job.data.name;
    const cancel = signal ?? new AbortController().signal;
    emit({ type: 'started', jobId, name, attempt: job.attemptsMade + 1 });
    let last = 0;
    const report = (progress: ProgressEvent) => {
      const now = Date.now();
      if (now - last < progressInterval && progress.fraction !== 1) return;
      last = now;
      // Progress is advice: a lost update must not fail the job.
      job.updateProgress(progress).catch(() => undefined);
    };
    try {
      const result = await processVideoJob({ id: jobId, data: job.data }, context, report, cancel);
      emit({ type: 'completed', jobId, name, result });
      return result;
    } catch (error) {
      // The pipeline's one classification: cancelled, give up (BullMQ's unrecoverable), or retry later.
      const recovery = recoveryOf(error, cancel);
      if (recovery === 'cancelled' && closing && token !== undefined) {
        // Handed back: waiting again, without using up an attempt, for the next worker to take.
        await job.moveToWait(token);
        emit({ type: 'handed-back', jobId, name });
        throw new WaitingError();
      }
      const { code, message } = errorRecord(error, cancel);
      const record = { code, message };
      const final = recovery === 'give-up';
      await job.updateData({ ...job.data, lastFailure: { ...record, final } });
      emit({ type: 'failed', jobId, name, ...record, final });
      if (final) throw new UnrecoverableError(record.message);
      throw error;
    }
  };

  const connection = connectRedis(options.redis);
  const worker = new Worker<VideoJobData, VideoJobResult>(options.queueName ?? DEFAULT_QUEUE_NAME, processor, {
    connection,
    concurrency,
    lockDuration: options.lockDurationMs ?? DEFAULT_LOCK_DURATION_MS,
    stalledInterval: options.stalledIntervalMs ?? DEFAULT_STALLED_INTERVAL_MS,
    maxStalledCount: options.maxStalledCount ?? DEFAULT_MAX_STALLED_COUNT,
    autorun: false,
  });
  worker.on('error', (error) => {
    emit({ type: 'error', message: error.message });
  });
  void worker.run().catch((error: unknown) => {
    emit({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  });
  await worker.waitUntilReady();

  return {
    worker,
    async close(closeOptions = {}) {
      closing = true;
      const graceMs = closeOptions.graceMs ?? DEFAULT_SHUTDOWN_GRACE_MS;
      const closed = worker.close();
      const timer = setTimeout(() => {
        worker.cancelAllJobs('the worker is shutting down');
      }, graceMs);
      try {
        await closed;
      } finally {
        clearTimeout(timer);
        connection.disconnect();
        client.destroy();
      }
    },
  };
}
