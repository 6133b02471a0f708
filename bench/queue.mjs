// Benchmark of the job queue (`wavid worker` and `wavid run --queue`), with Redis and an S3 server (OpenStack
// Swift) started on loopback as the tests start them. Inputs are generated once into bench/.work/queue.
//   1. Throughput of one worker against two workers, each with one x264 thread, on the same folder: a ratio.
//   2. Overhead of the queue against a local `wavid run` on the same folder of 24 videos (target: within 5%),
//      with the same work on both sides: the same stages (hash, fix, publish a link, thumbnail), the same
//      number of videos in flight (--concurrency, one per core) and the same x264 threads (one per video).
//      With more videos in flight the coordinator's hashing and thumbnails would run beside the workers'
//      encodes, on the same two cores, and the queue would look faster than the work it does. Each side runs
//      twice, alternately, and its faster run counts, so a burst of load from elsewhere weighs less.
//   3. How far one Redis goes: jobs per second added, dispatched and completed with a no-op pipeline.
//   4. Bytes moved through the bucket per video in run 2.
// Run with `pnpm run bench:queue` (needs redis-server and Swift, as the tests do).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { createStoreClient } from '@wavid/publish';
import { parseRedisUrl, VideoQueue } from '@wavid/queue';
import { defaultFfmpegPath } from '@wavid/transcode';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';

// The AWS SDK warns under Node 20 about its own future support; the project states its Node range itself.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = join(root, 'bench', '.work', 'queue');
const campaign = join(work, 'campaign');
const cli = join(root, 'packages', 'wavid', 'dist', 'cli.js');
const ffmpegPath = defaultFfmpegPath();
const NOOP_JOBS = Number(process.env.NOOP_JOBS ?? 2000);

/** The tests' launchers for Redis and Swift, compiled once for this script. */
async function serverLaunchers() {
  const out = join(work, 'support');
  const sources = ['redis-server.ts', 'swift-s3.ts'].map((name) => join(root, 'test', 'support', name));
  execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), ...sources, '--outDir', out, '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node', '--skipLibCheck']);
  const redis = await import(pathToFileURL(join(out, 'redis-server.js')).href);
  const swift = await import(pathToFileURL(join(out, 'swift-s3.js')).href);
  return { startRedis: redis.startRedis, startSwiftS3: swift.startSwiftS3 };
}

function timed(binary, args, env = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => {
      if (code !== 0 && code !== 1) reject(new Error(`${args.join(' ')} failed (${code}): ${stderr.slice(-2000)}`));
      else resolve((performance.now() - started) / 1000);
    });
  });
}

const pattern = (size, seconds) => ['-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=30:duration=${seconds}`, '-f', 'lavfi', '-i', `sine=frequency=330:sample_rate=48000:duration=${seconds}`];

/** 24 small videos: a third compliant, a third needing a remux, a third needing a transcode. */
async function generate() {
  mkdirSync(campaign, { recursive: true });
  for (let i = 1; i <= 8; i++) {
    const base = [...pattern('480x270', 3 + (i % 3)), '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac'];
    const wanted = {
      [`compliant-${i}.mp4`]: [...base, '-profile:v', 'main', '-bf', '0', '-movflags', '+faststart'],
      [`remux-${i}.${i % 2 === 0 ? 'mkv' : 'mp4'}`]: [...base, '-profile:v', 'main', '-bf', '0'],
      [`transcode-${i}.mp4`]: [...pattern('640x360', 4), '-c:v', 'libx264', '-preset', 'ultrafast', '-profile:v', 'high', '-bf', '3', '-pix_fmt', 'yuv420p', '-c:a', 'aac'],
    };
    for (const [name, args] of Object.entries(wanted)) {
      if (!existsSync(join(campaign, name))) await timed(ffmpegPath, ['-hide_banner', '-nostdin', '-v', 'error', '-y', ...args, join(campaign, name)]);
    }
  }
}

function startWorkers(count, redisUrl, env) {
  return Array.from({ length: count }, (_, index) => {
    const child = spawn(process.execPath, [cli, 'worker', '--redis', redisUrl, '--work-dir', join(work, `worker-${index}`)], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
    const ready = new Promise((resolve) => {
      let text = '';
      child.stderr.on('data', (chunk) => {
        text += chunk;
        if (text.includes('taking jobs from')) resolve();
      });
    });
    return { child, ready };
  });
}

async function stopWorkers(workers) {
  await Promise.all(workers.map(({ child }) => new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGTERM');
  })));
}

/** A folder run through the queue with a given number of workers, each run with its own bucket so no job is reused. */
async function queuedRun(count, services, label, extra = []) {
  const bucket = await makeBucket(services.s3, `bench-${label}`);
  const workers = startWorkers(count, services.redisUrl, services.env);
  await Promise.all(workers.map((worker) => worker.ready));
  const out = join(work, `out-${label}`);
  rmSync(out, { recursive: true, force: true });
  try {
    return await timed(process.execPath, [cli, 'run', campaign, '--out', out, '--queue', services.redisUrl, '--bucket', bucket, ...extra], services.env);
  } finally {
    await stopWorkers(workers);
  }
}

/** A local folder run, publishing links to a bucket of its own. */
async function localRun(services, label, extra = []) {
  const bucket = await makeBucket(services.s3, `bench-${label}`);
  const out = join(work, `out-${label}`);
  rmSync(out, { recursive: true, force: true });
  return timed(process.execPath, [cli, 'run', campaign, '--out', out, '--bucket', bucket, ...extra], services.env);
}

/** Jobs per second through one Redis: added by a producer, taken and completed by 4 consumers of 16 each, results read back. */
async function dispatchRate(redisUrl, bucket) {
  const redis = parseRedisUrl(redisUrl);
  const queue = new VideoQueue({ redis, store: { bucket, client: createStoreClient({ endpoint: 'http://127.0.0.1:9', region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, env: {} }) }, queueName: 'noop', pollIntervalMs: 60_000 });
  const connections = [];
  const workers = Array.from({ length: 4 }, () => {
    const connection = new Redis({ host: redis.host, port: redis.port, maxRetriesPerRequest: null });
    connections.push(connection);
    return new Worker('noop', async (job) => ({ jobId: job.id }), { connection, concurrency: 16 });
  });
  const started = performance.now();
  const handles = [];
  for (let i = 0; i < NOOP_JOBS; i++) {
    const sha256 = i.toString(16).padStart(64, '0');
    handles.push(queue.addStaged({ name: `v${i}.mp4`, input: { bucket, key: `inputs/${sha256}.mp4`, sha256, sizeBytes: 1000 } }));
  }
  const results = await Promise.all((await Promise.all(handles)).map((handle) => handle.result()));
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(workers.map((worker) => worker.close()));
  for (const connection of connections) connection.disconnect();
  const payload = Buffer.byteLength(JSON.stringify((await queue.queue.getJob(handles.length ? (await handles[0]).id : ''))?.data ?? {}));
  await queue.queue.obliterate({ force: true });
  await queue.close();
  return { jobs: results.length, seconds, payload };
}

/**
 * Bytes through the bucket per video, counted from the files: the input staged and fetched, the output stored,
 * fetched and published under its link key, and the result record (about 2 KB).
 */
function bytesPerVideo(out) {
  const manifest = JSON.parse(readFileSync(join(out, 'wavid-manifest.json'), 'utf8'));
  let total = 0;
  for (const entry of manifest.entries) {
    total += 2 * entry.sizeBytes;
    if (entry.output) total += 3 * statSync(join(out, entry.output)).size + 2_000;
  }
  return { videos: manifest.entries.length, perVideo: total / manifest.entries.length, inputs: manifest.entries.reduce((sum, entry) => sum + entry.sizeBytes, 0) / manifest.entries.length };
}

async function makeBucket(s3, name) {
  const client = createStoreClient({ endpoint: s3.endpoint, region: s3.region, credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey }, env: {} });
  await client.send(new CreateBucketCommand({ Bucket: name }));
  client.destroy();
  return name;
}

await generate();
const { startRedis, startSwiftS3 } = await serverLaunchers();
const [redisServer, s3] = await Promise.all([startRedis(), startSwiftS3()]);
try {
  const bucket = await makeBucket(s3, 'bench-noop');
  const env = { AWS_ACCESS_KEY_ID: s3.accessKeyId, AWS_SECRET_ACCESS_KEY: s3.secretAccessKey, AWS_REGION: s3.region, AWS_ENDPOINT_URL_S3: s3.endpoint };
  const services = { redisUrl: redisServer.url, s3, env };
  const files = readdirSync(campaign).length;

  // The same work on both sides: two videos in flight, one x264 thread each, links published, thumbnails made.
  const same = ['--concurrency', '2'];
  const localRuns = [];
  const queuedRuns = [];
  for (const round of [1, 2]) {
    localRuns.push(await localRun(services, `local-${round}`, same));
    queuedRuns.push(await queuedRun(2, services, `same-${round}`, same));
  }
  const local = Math.min(...localRuns);
  const queued = Math.min(...queuedRuns);
  const two = await queuedRun(2, services, 'two-workers');
  const one = await queuedRun(1, services, 'one-worker');
  const noop = await dispatchRate(redisServer.url, bucket);
  const bytes = bytesPerVideo(join(work, 'out-two-workers'));

  console.table([
    { measure: `wavid run, local, --concurrency 2, ${files} videos`, seconds: localRuns.map((run) => run.toFixed(1)).join(' / ') },
    { measure: 'wavid run --queue, 2 workers, --concurrency 2', seconds: queuedRuns.map((run) => run.toFixed(1)).join(' / ') },
    { measure: 'wavid run --queue, 2 workers, 32 in flight', seconds: two.toFixed(1) },
    { measure: 'wavid run --queue, 1 worker, 32 in flight', seconds: one.toFixed(1) },
  ]);
  console.log(`two workers are ${(one / two).toFixed(2)}x the throughput of one`);
  console.log(`queue against the local run, same work: ${(queued / local).toFixed(3)}x the time, overhead ${(((queued - local) / local) * 100).toFixed(1)}% (target: within 5%)`);
  console.log(`one Redis, no-op pipeline: ${noop.jobs} jobs in ${noop.seconds.toFixed(1)} s = ${(noop.jobs / noop.seconds).toFixed(0)} jobs/s; job payload ${noop.payload} bytes`);
  console.log(`bucket traffic: ${(bytes.perVideo / 1e6).toFixed(2)} MB per video (inputs average ${(bytes.inputs / 1e6).toFixed(2)} MB), over ${bytes.videos} videos`);
} finally {
  await Promise.all([redisServer.stop(), s3.stop()]);
}
