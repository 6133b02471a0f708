export { VideoQueue, VideoJobHandle, DEFAULT_ATTEMPTS, DEFAULT_BACKOFF_MS, DEFAULT_KEEP_SECONDS, DEFAULT_POLL_INTERVAL_MS, type EnqueueVideoOptions, type VideoJobEvents, type VideoQueueOptions } from './video-queue.js';
export {
  startVideoWorker,
  DEFAULT_LOCK_DURATION_MS,
  DEFAULT_MAX_STALLED_COUNT,
  DEFAULT_SHUTDOWN_GRACE_MS,
  DEFAULT_STALLED_INTERVAL_MS,
  type VideoWorker,
  type VideoWorkerOptions,
  type WorkerEvent,
} from './video-worker.js';
export { processVideoJob, type JobContext } from './process-video-job.js';
export { DEFAULT_QUEUE_NAME, JOB_FORMAT, type FailureRecord, type QueuedDestination, type QueuedVerdict, type StoredObject, type VideoJobData, type VideoJobResult, type VideoJobSettings } from './job-data.js';
export { videoJobId, inputKey, outputKey, resultKey, type JobIdentity } from './job-id.js';
export { objectStore, type ObjectStore } from './object-store.js';
export { stageInput } from './stage-input.js';
export { sweepAbandonedFolders, jobFolder } from './job-folder.js';
export { parseRedisUrl, describeRedis, redisUrlFrom, redisOptions, connectRedis, type RedisLocation } from './redis-connection.js';
export { QueueOptionError } from './errors.js';
export { QueuedJobError } from './queued-job-error.js';
export { LIBRARY_PIPELINE, type VideoPipeline } from './video-pipeline.js';
export { queuedPrepare, type QueuedPrepareDefaults, type QueuedPrepareResult } from './queued-prepare.js';
export type { ProgressEvent } from '@wavid/foundation';
