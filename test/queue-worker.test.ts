import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { createStoreClient } from '@wavid/publish';
import { parseRedisUrl, QueuedJobError, VideoQueue, type ProgressEvent } from '@wavid/queue';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { describeWithQueue, type QueueServices } from './support/queue-suite.js';
import { startRedis } from './support/redis-server.js';
import { ffmpeg, runCli, samplesDir } from './support/tools.js';
import { startWorker, stopWorker, type WorkerProcess } from './support/worker-process.js';

/** Short locks, so a killed worker's job is taken over within seconds instead of a minute and a half. */
const FAST_LOCK = ['--lock-duration', '2s'];

describeWithQueue('wavid worker on a BullMQ queue', (services) => {
  let root = '';
  let workDir: string;
  let longClip: string;
  const workers: WorkerProcess[] = [];
  const queues: VideoQueue[] = [];
  const clients: S3Client[] = [];

  const s3Client = (s: QueueServices) => createStoreClient({ endpoint: s.s3.endpoint, region: s.s3.region, credentials: { accessKeyId: s.s3.accessKeyId, secretAccessKey: s.s3.secretAccessKey }, env: {} });
  const worker = async (extra: string[] = []) => {
    const started = await startWorker(['--redis', services().redis.url, '--work-dir', workDir, ...FAST_LOCK, ...extra], services().env);
    workers.push(started);
    return started;
  };
  const queue = (prefix: string, options: { attempts?: number; backoffMs?: number } = {}) => {
    const client = s3Client(services());
    const made = new VideoQueue({ redis: parseRedisUrl(services().redis.url), store: { bucket: services().bucket, prefix, client }, pollIntervalMs: 500, ...options });
    queues.push(made);
    clients.push(client);
    return made;
  };

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'wavid-queue-'));
    workDir = join(root, 'work');
    // Long enough for an encode to be caught in the middle on a busy machine: High profile with B-frames must be re-encoded.
    longClip = join(root, 'long-b-frames.mp4');
    await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=480x270:rate=30', '-f', 'lavfi', '-i', 'sine=frequency=330:sample_rate=48000', '-t', '20', '-c:v', 'libx264', '-preset', 'ultrafast', '-profile:v', 'high', '-bf', '3', '-c:a', 'aac', '-b:a', '64k', longClip]);
  });

  afterEach(async () => {
    await Promise.all(workers.splice(0).map((started) => stopWorker(started)));
    await Promise.all(queues.splice(0).map((made) => made.close()));
    for (const client of clients.splice(0)) client.destroy();
  });

  afterAll(() => {
    if (root !== '') rmSync(root, { recursive: true, force: true });
  });

  const listKeys = async (prefix: string) => {
    const client = s3Client(services());
    try {
      const answer = await client.send(new ListObjectsV2Command({ Bucket: services().bucket, Prefix: prefix }));
      return (answer.Contents ?? []).map((object) => object.Key ?? '').sort();
    } finally {
      client.destroy();
    }
  };

  it('runs a video added twice once, with its result awaited and as an event', async () => {
    await worker();
    await worker();
    const videos = queue('twice');
    const input = join(root, 'moov-at-end.mp4');
    copyFileSync(join(samplesDir, 'violation-faststart.mp4'), input);
    const first = await videos.add({ input });
    const completed = new Promise((resolve) => first.once('completed', resolve));
    const second = await videos.add({ input });
    expect(second.id).toBe(first.id);
    const result = await first.result();
    await expect(completed).resolves.toEqual(result);
    expect(result).toMatchObject({ action: 'remux', reused: false, after: { verdict: { ok: true } } });
    expect(result.output.key).toBe(`twice/outputs/${result.output.sha256}.mp4`);

    // A new coordinator adding the same video finds the finished job: nothing runs again.
    const again = queue('twice');
    const third = await again.add({ input });
    expect(third.id).toBe(first.id);
    await expect(third.result()).resolves.toEqual(result);
    const started = workers.map((started) => started.log().match(/^started /gm)?.length ?? 0).reduce((a, b) => a + b, 0);
    expect(started).toBe(1);
    expect(await listKeys('twice/outputs/')).toEqual([result.output.key]);
  });

  it('makes again a finished video whose output was deleted from the bucket', async () => {
    const only = await worker();
    const videos = queue('deleted');
    const input = join(root, 'deleted-output.mp4');
    copyFileSync(join(samplesDir, 'violation-faststart.mp4'), input);
    const first = await (await videos.add({ input })).result();
    const client = s3Client(services());
    clients.push(client);
    await client.send(new DeleteObjectCommand({ Bucket: services().bucket, Key: first.output.key }));

    // Attaching to the completed job would hand back an output that is gone: the job runs again instead.
    const again = await videos.add({ input });
    expect(again.id).toBe(first.jobId);
    const second = await again.result();
    expect(second).toMatchObject({ jobId: first.jobId, action: 'remux', reused: false, output: { key: first.output.key, sha256: first.output.sha256 } });
    expect(await listKeys('deleted/outputs/')).toEqual([first.output.key]);
    expect(only.log().match(/^started /gm)).toHaveLength(2);
  });

  it('fails an unreadable video at once with its code, and retries a missing input a bounded number of times', async () => {
    await worker();
    const videos = queue('failures', { attempts: 3, backoffMs: 50 });
    const empty = join(root, 'empty.mp4');
    copyFileSync(join(samplesDir, 'bad-empty.mp4'), empty);
    const unreadable = await videos.add({ input: empty });
    const error = await unreadable.result().then(() => null, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(QueuedJobError);
    expect(error).toMatchObject({ code: 'unreadable', final: true });
    expect((await videos.queue.getJob(unreadable.id))?.attemptsMade).toBe(1);

    const gone = join(root, 'gone.mp4');
    copyFileSync(join(samplesDir, 'compliant.mp4'), gone);
    // The staged input vanishes from the bucket before a worker reads it: a store failure, worth trying again.
    // The queue is paused meanwhile, so no worker can fetch the input before it is gone.
    await videos.queue.pause();
    const staged = await videos.add({ input: gone });
    const client = s3Client(services());
    await client.send(new DeleteObjectCommand({ Bucket: services().bucket, Key: staged.data.input.key }));
    client.destroy();
    await videos.queue.resume();
    await staged.result().catch(() => undefined);
    const job = await videos.queue.getJob(staged.id);
    expect(await job?.getState()).toBe('failed');
    expect(job?.attemptsMade).toBe(3);
    expect(job?.data.lastFailure).toMatchObject({ code: 'store-failed', final: false });
  });

  it('finishes the job of a worker killed mid-encode once, with one output and no leftovers', async () => {
    const doomed = await worker();
    const videos = queue('killed');
    const handle = await videos.add({ input: longClip });
    const encoding = new Promise<void>((resolve) => {
      handle.on('progress', (progress: ProgressEvent) => {
        if (progress.stage === 'fix' && progress.action === 'transcode' && (progress.fraction ?? 0) > 0.05) resolve();
      });
    });
    await encoding;
    doomed.killHard();
    await doomed.exited;
    expect(readdirSync(workDir).length).toBeGreaterThan(0);

    const rescuer = await worker();
    let completions = 0;
    handle.on('completed', () => (completions += 1));
    const result = await handle.result();
    expect(result).toMatchObject({ action: 'transcode', reused: false, after: { verdict: { ok: true } } });
    expect(rescuer.log()).toMatch(/^done long-b-frames\.mp4/m);
    expect(completions).toBe(1);
    expect(readdirSync(workDir)).toEqual([]);
    expect(await listKeys('killed/outputs/')).toEqual([result.output.key]);
    expect(await listKeys('killed/jobs/')).toEqual([`killed/jobs/${handle.id}.json`]);
  }, 180_000);

  it('carries on through a Redis restart: workers and the queue reconnect, and every video completes once', async () => {
    await worker();
    await worker();
    const videos = queue('restart');
    const folder = join(root, 'restart');
    mkdirSync(folder);
    const names = ['violation-faststart.mp4', 'compliant.mp4', 'violation-container.mkv', 'gstreamer-moov-at-end.mp4', 'violation-b-frames.mp4'];
    for (const name of names) copyFileSync(join(samplesDir, name), join(folder, name));
    const handles = await Promise.all(names.map((name) => videos.add({ input: join(folder, name) })));
    await services().redis.restart({ downMs: 1_000 });
    const results = await Promise.all(handles.map((handle) => handle.result()));
    expect(results.map((result) => result.after.verdict.ok)).toEqual(names.map(() => true));
    expect(await listKeys('restart/jobs/')).toHaveLength(names.length);
    expect(new Set(results.map((result) => result.output.key)).size).toBe(await listKeys('restart/outputs/').then((keys) => keys.length));
  }, 120_000);

  it('reads the Redis password from the URL or REDIS_URL and never prints it', async () => {
    const locked = await startRedis({ password: 'hunter2-secret' });
    try {
      const fromFlag = await startWorker(['--redis', locked.url, '--work-dir', workDir], services().env);
      const fromEnv = await startWorker(['--work-dir', workDir], { ...services().env, REDIS_URL: locked.url });
      for (const started of [fromFlag, fromEnv]) {
        expect(await stopWorker(started)).toEqual({ code: 0, signal: null });
        expect(started.log()).toContain(`taking jobs from redis://127.0.0.1:${locked.port}/0`);
        expect(started.log()).not.toContain('hunter2');
      }
    } finally {
      await locked.stop();
    }
    const missing = await runCli(['worker'], { env: { REDIS_URL: '' } });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--redis needs a Redis URL: pass one or set REDIS_URL/);
  });

  it('hands its job back on SIGTERM when it cannot finish in time, and exits 0', async () => {
    const leaving = await worker(['--grace', '0s']);
    const videos = queue('handback');
    const handle = await videos.add({ input: longClip });
    await new Promise<void>((resolve) => {
      handle.on('progress', (progress: ProgressEvent) => {
        if (progress.stage === 'fix' && progress.action === 'transcode') resolve();
      });
    });
    const exit = await stopWorker(leaving);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(leaving.log()).toMatch(/^handed back long-b-frames\.mp4/m);
    expect(readdirSync(workDir)).toEqual([]);
    const job = await videos.queue.getJob(handle.id);
    expect(await job?.getState()).toBe('waiting');
    expect(job?.attemptsMade).toBe(0);
  }, 120_000);
});
