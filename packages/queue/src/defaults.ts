// The queue's defaults, apart from the code that uses them: `wavid worker --help` prints them without loading
// BullMQ, the Redis client or the AWS SDK. Exported on their own as `@wavid/queue/defaults`.

export { DEFAULT_QUEUE_NAME } from './job-data.js';

/**
 * A job's lock lasts this long and is renewed every half of it while the job runs, however long the encode.
 * A worker that dies stops renewing: its job is taken over once the lock expires and the next stalled check
 * runs, so within about 90 s.
 */
export const DEFAULT_LOCK_DURATION_MS = 60_000;
export const DEFAULT_STALLED_INTERVAL_MS = 30_000;
/** Lost locks a job may suffer before it is failed: a video that kills every worker is not passed round for ever. */
export const DEFAULT_MAX_STALLED_COUNT = 2;
/** On SIGTERM, current jobs get this long to finish; then they are handed back to the queue. */
export const DEFAULT_SHUTDOWN_GRACE_MS = 25_000;
/** Below this prefix of the bucket, inputs are staged (`inputs/`) and outputs and results kept (`outputs/`, `results/`). */
export const DEFAULT_STORE_PREFIX = 'wavid';
