import { EventEmitter } from 'node:events';
import { basename } from 'node:path';
import { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import type { S3Client } from '@aws-sdk/client-s3';
import type { ProgressEvent } from '@wavid/foundation';
import { resolveProfile, type ProfileName } from '@wavid/probe';
import { createStoreClient } from '@wavid/publish';
import { DEFAULT_STORE_PREFIX } from './defaults.js';
import { QueueOptionError } from './errors.js';
import { DEFAULT_QUEUE_NAME, JOB_FORMAT, type QueuedDestination, type RenewedDelivery, type StoredObject, type VideoJobData, type VideoJobResult } from './job-data.js';
import { republishJobId, videoJobId } from './job-id.js';
import { objectStore, type ObjectStore } from './object-store.js';
import { QueuedJobError } from './queued-job-error.js';
import { connectRedis, type RedisLocation } from './redis-connection.js';
import { stageInput } from './stage-input.js';
import { QUEUE_PACKAGE_VERSION } from './version.js';

/** Attempts per job, the first included, for failures that may pass (a store or network hiccup, a crash). */
export const DEFAULT_ATTEMPTS = 4;
/** First wait before a retry; each next one doubles it (10 s, 20 s, 40 s). */
export const DEFAULT_BACKOFF_MS = 10_000;
/** Finished jobs, with their results, stay in Redis this long, so a coordinator stopped for days still finds them. */
export const DEFAULT_KEEP_SECONDS = 14 * 24 * 3600;
/** Job states are read again this often, in case an event was missed (a Redis restart, a dropped connection). */
export const DEFAULT_POLL_INTERVAL_MS = 2_000;

export interface VideoQueueOptions {
  redis: RedisLocation;
  /** Inputs are staged and outputs stored in this bucket, below `prefix` (default {@link DEFAULT_STORE_PREFIX}). */
  store: { bucket: string; prefix?: string | undefined; endpoint?: string | undefined; region?: string | undefined; client?: S3Client | undefined };
  queueName?: string | undefined;
  attempts?: number | undefined;
  backoffMs?: number | undefined;
  keepSeconds?: number | undefined;
  pollIntervalMs?: number | undefined;
  env?: Readonly<Record<string, string | undefined>> | undefined;
}

export interface EnqueueVideoOptions {
  /** Path of the video on this machine; it is staged to the bucket. */
  input: string;
  /** Default `whatsapp`. */
  profile?: ProfileName | undefined;
  maxSizeBytes?: number | undefined;
  h264Profile?: 'main' | 'baseline' | undefined;
  /** Publish the output: a link (the worker's S3 credentials) or a media id (the worker's provider credentials). */
  destination?: QueuedDestination | undefined;
  /** Recorded in the job's settings; a new version makes the output again. Default: this package's version. */
  wavidVersion?: string | undefined;
  /**
   * Renew a delivery: the output already made for the same bytes and settings is published again to
   * `destination`, in place of `replaces`. Default: none, the output is made (or its job attached to).
   */
  republish?: { replaces: RenewedDelivery | null } | undefined;
  signal?: AbortSignal | undefined;
}

/** Events of one queued video. */
export interface VideoJobEvents {
  progress: [ProgressEvent];
  completed: [VideoJobResult];
  failed: [QueuedJobError];
}

/** One queued video: its result, awaited or received as an event. */
export class VideoJobHandle extends EventEmitter<VideoJobEvents> {
  readonly #settled: Promise<VideoJobResult>;
  #resolve!: (result: VideoJobResult) => void;
  #reject!: (error: QueuedJobError) => void;
  #done = false;

  constructor(
    readonly id: string,
    readonly data: VideoJobData,
  ) {
    super();
    this.#settled = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    // A caller that only listens for events must not see an unhandled rejection.
    this.#settled.catch(() => undefined);
  }

  /** Resolves with the result when a worker completes the job; rejects with a QueuedJobError when it fails. */
  result(): Promise<VideoJobResult> {
    return this.#settled;
  }

  get settled(): boolean {
    return this.#done;
  }

  /** @internal */
  complete(result: VideoJobResult): void {
    if (this.#done) return;
    this.#done = true;
    this.#resolve(result);
    this.emit('completed', result);
  }

  /** @internal */
  fail(error: QueuedJobError): void {
    if (this.#done) return;
    this.#done = true;
    this.#reject(error);
    if (this.listenerCount('failed') > 0) this.emit('failed', error);
  }
}

function checkPositive(value: number | undefined, option: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) throw new QueueOptionError(option, `${option} must be a number of 0 or more; got ${value}`);
  return value;
}

/**
 * The producer side: stages inputs to the bucket, adds one job per distinct piece of work, and follows jobs
 * to their end. Adding work that is already queued, running or finished attaches to that job instead.
 */
export class VideoQueue {
  readonly queue: Queue<VideoJobData, VideoJobResult>;
  readonly store: ObjectStore;
  readonly #events: QueueEvents;
  readonly #connections: Redis[];
  readonly #handles = new Map<string, VideoJobHandle>();
  readonly #options: VideoQueueOptions;
  readonly #ownsClient: boolean;
  readonly #poll: NodeJS.Timeout;
  readonly #prefix: string;

  constructor(options: VideoQueueOptions) {
    if (!options.store.bucket) throw new QueueOptionError('store.bucket', 'store.bucket must name the bucket inputs are staged to');
    checkPositive(options.attempts, 'attempts', DEFAULT_ATTEMPTS);
    this.#options = options;
    this.#prefix = (options.store.prefix ?? DEFAULT_STORE_PREFIX).replace(/^\/+|\/+$/g, '');
    this.#ownsClient = options.store.client === undefined;
    const client = options.store.client ?? createStoreClient({ endpoint: options.store.endpoint, region: options.store.region, env: options.env ?? process.env });
    this.store = objectStore(client);
    const name = options.queueName ?? DEFAULT_QUEUE_NAME;
    this.#connections = [connectRedis(options.redis), connectRedis(options.redis)];
    const [queueConnection, eventsConnection] = this.#connections as [Redis, Redis];
    this.queue = new Queue(name, { connection: queueConnection });
    this.#events = new QueueEvents(name, { connection: eventsConnection });
    this.#events.on('progress', ({ jobId, data }) => {
      if (typeof data === 'object') this.#handles.get(jobId)?.emit('progress', data as unknown as ProgressEvent);
    });
    const refresh = ({ jobId }: { jobId: string }) => {
      void this.#refresh(jobId);
    };
    this.#events.on('completed', refresh);
    this.#events.on('failed', refresh);
    this.#events.on('removed', refresh);
    // Errors of the connections are retried by ioredis; the poll below finds whatever was missed meanwhile.
    this.#events.on('error', () => undefined);
    this.queue.on('error', () => undefined);
    this.#poll = setInterval(() => {
      for (const id of this.#handles.keys()) void this.#refresh(id);
    }, checkPositive(options.pollIntervalMs, 'pollIntervalMs', DEFAULT_POLL_INTERVAL_MS));
  }

  /** Stages the video and queues its job, or attaches to the job already there for the same bytes and settings. */
  async add(options: EnqueueVideoOptions): Promise<VideoJobHandle> {
    const bucket = this.#options.store.bucket;
    const input = await stageInput(options.input, this.store, { bucket, prefix: this.#prefix }, options.signal);
    return this.addStaged({ ...options, name: basename(options.input), input });
  }

  /** Queues a video already in the bucket (`input` names its object and content hash). */
  async addStaged(options: Omit<EnqueueVideoOptions, 'input' | 'signal'> & { name: string; input: StoredObject }): Promise<VideoJobHandle> {
    const profile = resolveProfile(options.profile ?? 'whatsapp', { maxSizeBytes: options.maxSizeBytes });
    const data: VideoJobData = {
      format: JOB_FORMAT,
      name: options.name,
      input: { bucket: options.input.bucket, key: options.input.key, sha256: options.input.sha256, sizeBytes: options.input.sizeBytes },
      settings: { profile: profile.name, maxSizeBytes: profile.maxSizeBytes, h264Profile: options.h264Profile ?? 'main', wavidVersion: options.wavidVersion ?? QUEUE_PACKAGE_VERSION },
      outputs: { bucket: this.#options.store.bucket, prefix: this.#prefix },
      destination: options.destination ?? null,
    };
    const made = videoJobId({ inputSha256: data.input.sha256, settings: data.settings, outputs: data.outputs, destination: data.destination });
    if (options.republish) data.republish = { of: made, replaces: options.republish.replaces };
    const id = options.republish ? republishJobId(made, options.republish.replaces) : made;
    const known = this.#handles.get(id);
    if (known) return known;
    const handle = new VideoJobHandle(id, data);
    this.#handles.set(id, handle);
    await this.#ensureQueued(id, data);
    await this.#refresh(id);
    return handle;
  }

  /**
   * Adds the job unless it exists; a job that failed for a reason that may pass is tried again, and a
   * completed job whose output is no longer in the bucket is removed and added again, to make it anew. So
   * is a completed renewal that could not publish: the next renewal of the same delivery tries again.
   */
  async #ensureQueued(id: string, data: VideoJobData): Promise<void> {
    const existing = await this.queue.getJob(id);
    if (existing) {
      const state = await existing.getState();
      if (state === 'failed' && existing.data.lastFailure?.final !== true) await existing.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
      const result = existing.returnvalue as VideoJobResult | null;
      const publishAgain = data.republish !== undefined && Boolean(result?.deliveryError);
      if (state !== 'completed' || (!publishAgain && (await this.#outputKept(result)))) return;
      // Another coordinator may have done the same since: its job, added again, is then the one attached to.
      await existing.remove().catch(() => undefined);
    }
    const keep = { age: checkPositive(this.#options.keepSeconds, 'keepSeconds', DEFAULT_KEEP_SECONDS) };
    // With a fixed job id BullMQ adds nothing when the job exists: two coordinators adding at once still make one job.
    await this.queue.add('prepare', data, {
      jobId: id,
      attempts: this.#options.attempts ?? DEFAULT_ATTEMPTS,
      backoff: { type: 'exponential', delay: checkPositive(this.#options.backoffMs, 'backoffMs', DEFAULT_BACKOFF_MS) },
      removeOnComplete: keep,
      removeOnFail: keep,
    });
  }

  /** False when a completed job's output is gone from the bucket (or is not the size recorded). */
  async #outputKept(result: VideoJobResult | null): Promise<boolean> {
    if (!result) return true;
    return (await this.store.size(result.output.bucket, result.output.key)) === result.output.sizeBytes;
  }

  /** Reads the job's state and settles its handle when the job has ended; adds the job again when it is gone. */
  async #refresh(id: string): Promise<void> {
    const handle = this.#handles.get(id);
    if (!handle || handle.settled) return;
    try {
      const job = await this.queue.getJob(id);
      if (!job) {
        // Removed, or lost with a Redis that kept no data: the result record in the bucket makes the redo cheap.
        await this.#ensureQueued(id, handle.data);
        return;
      }
      const state = await job.getState();
      if (state === 'completed') {
        // The job may have completed between the two reads: its return value is read after its state.
        const finished = await this.queue.getJob(id);
        const result = finished?.returnvalue as VideoJobResult | null | undefined;
        if (!result) return;
        this.#handles.delete(id);
        handle.complete(result);
      } else if (state === 'failed') {
        // As for completion: the worker records why before the job fails, possibly after the first read.
        const failed = (await this.queue.getJob(id)) ?? job;
        this.#handles.delete(id);
        const failure = failed.data.lastFailure;
        handle.fail(new QueuedJobError(failure?.code ?? 'failed', failure?.message ?? failed.failedReason, id, failure?.final ?? false));
      }
    } catch {
      // Redis is away; the next poll tries again.
    }
  }

  /** Stops following jobs and disconnects; queued jobs stay in Redis for the workers. */
  async close(): Promise<void> {
    clearInterval(this.#poll);
    await Promise.allSettled([this.#events.close(), this.queue.close()]);
    for (const connection of this.#connections) connection.disconnect();
    if (this.#ownsClient) this.store.client.destroy();
  }
}
