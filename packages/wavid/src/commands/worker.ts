import { DEFAULT_LOCK_DURATION_MS, DEFAULT_QUEUE_NAME, DEFAULT_SHUTDOWN_GRACE_MS } from '@wavid/queue/defaults';
import { parseCommandLine, type Command, type CommandIo } from '../cli/command.js';
import { EXIT_OK } from '../cli/exit-codes.js';
import { parseDuration } from '../cli/parse-duration.js';
import { parseCount } from '../cli/parse-size.js';
import { UsageError } from '../cli/usage-error.js';
import { workerEventLine } from './worker-event-line.js';

export const workerCommand: Command = {
  name: 'worker',
  help: `Usage: wavid worker --redis <url> [options]

Pulls jobs from the queue that 'wavid run --queue' and the library fill, and runs the one-video
pipeline on each: fetch the input from the bucket, check and fix it, store the output in the
bucket under its SHA-256, and publish it when the job asks for a link or a media id. Start as many
workers on as many machines as you like; they share the work.

A worker that dies loses nothing: its job is taken over by another worker once its lock expires
(--lock-duration, renewed every half of it while the job runs). SIGTERM or Ctrl-C lets the current
jobs finish for up to --grace, hands back the rest for another worker, and exits 0; a second signal
exits at once.

Options:
  --redis <url>             redis://[user:password@]host[:port][/db], or rediss:// for TLS
                            (default: REDIS_URL); the password is never printed
  --concurrency <n>         jobs run at once, each encode with one x264 thread (default: 1)
  --endpoint <url>          S3-compatible endpoint of the bucket (default: AWS_ENDPOINT_URL_S3,
                            then AWS_ENDPOINT_URL, else AWS); credentials from the AWS SDK's chain
  --region <region>         S3 region (default: the AWS SDK's chain)
  --lock-duration <time>    how long a job stays locked to a silent worker: 90s, 2m (default: ${DEFAULT_LOCK_DURATION_MS / 1000}s)
  --grace <time>            after SIGTERM, how long current jobs may run on before they are
                            handed back: 0s, 25s, 2m (default: ${DEFAULT_SHUTDOWN_GRACE_MS / 1000}s)
  --work-dir <dir>          scratch folder for the files of running jobs (default: the system's temp folder)
  --queue-name <name>       BullMQ queue name (default: ${DEFAULT_QUEUE_NAME})
  -h, --help                show this help

Provider credentials for media ids come from this worker's environment, as for 'wavid send'.
`,
  async run(args, io) {
    const { values, positionals } = parseCommandLine(args, {
      redis: { type: 'string' },
      concurrency: { type: 'string' },
      endpoint: { type: 'string' },
      region: { type: 'string' },
      'lock-duration': { type: 'string' },
      'work-dir': { type: 'string' },
      grace: { type: 'string' },
      'queue-name': { type: 'string' },
    });
    if (values.help) {
      io.stdout.write(this.help);
      return EXIT_OK;
    }
    if (positionals.length > 0) throw new UsageError(`worker takes no arguments; got '${positionals.join(' ')}'`);
    // BullMQ, the Redis client and the AWS SDK load only once there is work to do, not for --help.
    const { describeRedis, QueueOptionError, redisUrlFrom, startVideoWorker } = await import('@wavid/queue');
    const redis = queueOption(() => redisUrlFrom(values.redis, io.env, '--redis'), QueueOptionError);
    const concurrency = values.concurrency === undefined ? 1 : parseCount(values.concurrency, '--concurrency', 1, 64);
    const lockDurationMs = values['lock-duration'] === undefined ? DEFAULT_LOCK_DURATION_MS : parseDuration(values['lock-duration'], '--lock-duration') * 1000;
    if (lockDurationMs < 1000) throw new UsageError('--lock-duration must be at least 1s');
    const graceMs = values.grace === undefined ? DEFAULT_SHUTDOWN_GRACE_MS : parseDuration(values.grace, '--grace') * 1000;

    const worker = await startVideoWorker({
      redis,
      concurrency,
      endpoint: values.endpoint,
      region: values.region,
      workDir: values['work-dir'],
      queueName: values['queue-name'],
      lockDurationMs,
      stalledIntervalMs: Math.max(500, Math.round(lockDurationMs / 2)),
      env: io.env,
      onEvent: (event) => {
        io.stderr.write(`${workerEventLine(event)}\n`);
      },
    });
    io.stderr.write(`wavid worker: taking jobs from ${describeRedis(redis)} (queue ${values['queue-name'] ?? DEFAULT_QUEUE_NAME}), ${concurrency} at once\n`);
    await stopped(io);
    io.stderr.write('wavid worker: stopping; current jobs finish or are handed back\n');
    await worker.close({ graceMs });
    io.stderr.write('wavid worker: stopped\n');
    return EXIT_OK;
  },
};

function queueOption<T>(read: () => T, optionError: new (...args: never[]) => Error): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof optionError) throw new UsageError(error.message);
    throw error;
  }
}

function stopped(io: CommandIo): Promise<void> {
  if (io.signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    io.signal.addEventListener('abort', () => {
      resolve();
    }, { once: true });
  });
}
