import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createStoreClient } from '@wavid/publish';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { startFakeProvider } from './support/fake-provider.js';
import { makeCampaign } from './support/campaign-folder.js';
import { describeWithQueue } from './support/queue-suite.js';
import { cliPath, ffmpeg, repoRoot, runCli } from './support/tools.js';
import { startWorker, stopWorker, type WorkerProcess } from './support/worker-process.js';

interface Entry {
  input: string;
  completedAt: string;
  sha256: string;
  sizeBytes: number;
  action: string | null;
  reasons: string[];
  output: string | null;
  outputSizeBytes: number | null;
  attempts: number;
  before: unknown;
  after: { ok: boolean } | null;
  error: { code: string } | null;
  delivery: { kind: string; target: string; link: string | null; mediaId?: string | null; expiresAt: string | null } | null;
  deliveryError: unknown;
}

const manifestOf = (out: string) => JSON.parse(readFileSync(join(out, 'wavid-manifest.json'), 'utf8')) as { entries: Entry[] };

/** What must match between a local run and a queued one: all but times, and sizes of new encodes (x264's threads differ). */
function comparable(entry: Entry) {
  return {
    input: entry.input, sha256: entry.sha256, sizeBytes: entry.sizeBytes, action: entry.action, reasons: entry.reasons, output: entry.output,
    outputSizeBytes: entry.action === 'transcode' ? null : entry.outputSizeBytes, before: entry.before, afterOk: entry.after?.ok ?? null,
    error: entry.error?.code ?? null, delivery: entry.delivery ? { kind: entry.delivery.kind, target: entry.delivery.target, linked: entry.delivery.link !== null } : null,
    deliveryError: entry.deliveryError,
  };
}

const startedCount = (workers: WorkerProcess[]) => workers.map((worker) => worker.log().match(/^started /gm)?.length ?? 0).reduce((a, b) => a + b, 0);

describeWithQueue('wavid run --queue', (services) => {
  let root = '';
  let folder = '';
  const workers: WorkerProcess[] = [];
  let buckets = 0;

  /** A bucket per test: the bucket is part of a job's identity, so no test finds another's finished jobs. */
  const newBucket = async () => {
    const { s3 } = services();
    const name = `run-${++buckets}`;
    const client = createStoreClient({ endpoint: s3.endpoint, region: s3.region, credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey }, env: {} });
    await client.send(new CreateBucketCommand({ Bucket: name }));
    client.destroy();
    return name;
  };
  const startWorkers = async (count: number, env: NodeJS.ProcessEnv = {}) => {
    const started = await Promise.all(
      Array.from({ length: count }, () => startWorker(['--redis', services().redis.url, '--work-dir', join(root, 'work'), '--lock-duration', '2s'], { ...services().env, ...env })),
    );
    workers.push(...started);
    return started;
  };
  const queuedArgs = (out: string, bucket: string) => ['run', folder, '--out', out, '--queue', services().redis.url, '--bucket', bucket, '--format', 'json'];

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'wavid-queue-run-'));
    folder = makeCampaign(root);
    // A few seconds of encode, so a coordinator can be stopped while work is in flight.
    await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=480x270:rate=30', '-t', '8', '-c:v', 'libx264', '-preset', 'ultrafast', '-profile:v', 'high', '-bf', '3', join(folder, 'longer.mp4')]);
  });

  afterEach(async () => {
    await Promise.all(workers.splice(0).map((worker) => stopWorker(worker)));
  });

  afterAll(() => {
    if (root !== '') rmSync(root, { recursive: true, force: true });
  });

  it('completes a mixed folder with the same manifest, outputs and report as a local run', async () => {
    const bucket = await newBucket();
    await startWorkers(2);
    const localOut = join(root, 'local');
    const queuedOut = join(root, 'queued');
    const local = await runCli(['run', folder, '--out', localOut, '--bucket', bucket, '--prefix', 'links', '--format', 'json'], { env: services().env });
    const queued = await runCli([...queuedArgs(queuedOut, bucket), '--prefix', 'links'], { env: services().env });
    expect(queued.stderr).toBe('');
    expect([local.code, queued.code]).toEqual([1, 1]);
    expect(manifestOf(queuedOut).entries.map(comparable)).toEqual(manifestOf(localOut).entries.map(comparable));
    expect(manifestOf(queuedOut).entries.find((entry) => entry.input === 'empty.mp4')?.error?.code).toBe('unreadable');
    expect(existsSync(join(queuedOut, 'report.html'))).toBe(true);
    const outputs = (out: string) => readdirSync(out, { recursive: true }).map(String).filter((name) => name.endsWith('.mp4')).sort();
    expect(outputs(queuedOut)).toEqual(outputs(localOut));
    expect(startedCount(workers)).toBe(6);
    // The workers published each link, from the output they had put in the bucket: it is in the jobs' results.
    const connection = new Redis(services().redis.url, { maxRetriesPerRequest: null });
    const queue = new Queue('wavid-prepare', { connection });
    try {
      const jobs = (await queue.getCompleted()).filter((job) => (job.data as { outputs: { bucket: string } }).outputs.bucket === bucket);
      expect(jobs).toHaveLength(5);
      for (const job of jobs) expect((job.returnvalue as { delivery: { link: string } | null }).delivery?.link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/run-\d+\/links\//);
    } finally {
      await queue.close();
      connection.disconnect();
    }
  }, 240_000);

  it('has the workers upload to the provider for media ids, with their own credentials, once per output', async () => {
    const bucket = await newBucket();
    let next = 0;
    const provider = await startFakeProvider((request) =>
      request.method === 'POST' && request.path === '/v23.0/106540352242922/media' ? { status: 200, body: { id: `media-${++next}` } } : { status: 404, body: {} },
    );
    try {
      await startWorkers(2, { WHATSAPP_TOKEN: 'EAAG-worker-secret', WHATSAPP_PHONE_NUMBER_ID: '106540352242922' });
      const out = join(root, 'media-ids');
      // The coordinator holds no provider token: an upload of its own would fail for want of it.
      const run = await runCli([...queuedArgs(out, bucket), '--provider', 'meta', '--base-url', provider.url], { env: { ...services().env, WHATSAPP_TOKEN: '', WHATSAPP_PHONE_NUMBER_ID: '' } });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(1);
      const entries = manifestOf(out).entries.filter((entry) => entry.error === null);
      expect(entries).toHaveLength(5);
      for (const entry of entries) expect(entry.delivery).toMatchObject({ kind: 'media-id', link: null, mediaId: expect.stringMatching(/^media-\d+$/) as unknown });
      expect(entries.map((entry) => entry.deliveryError)).toEqual([null, null, null, null, null]);
      const uploads = provider.requests.filter((request) => request.path.endsWith('/media'));
      expect(uploads).toHaveLength(5);
      for (const upload of uploads) expect(upload.headers.authorization).toBe('Bearer EAAG-worker-secret');
      expect(`${run.stdout}${readFileSync(join(out, 'wavid-manifest.json'), 'utf8')}`).not.toContain('EAAG-worker-secret');
    } finally {
      await provider.close();
    }
  }, 240_000);

  it('has a worker renew media ids about to expire, with its credentials, once per output', async () => {
    const bucket = await newBucket();
    let next = 0;
    let refuse = false;
    const provider = await startFakeProvider((request) => {
      if (request.method !== 'POST' || request.path !== '/v23.0/106540352242922/media') return { status: 404, body: {} };
      return refuse ? { status: 401, body: { error: { message: 'token expired', code: 190 } } } : { status: 200, body: { id: `media-${++next}` } };
    });
    try {
      await startWorkers(1, { WHATSAPP_TOKEN: 'EAAG-worker-secret', WHATSAPP_PHONE_NUMBER_ID: '106540352242922' });
      const out = join(root, 'renewed');
      const args = [...queuedArgs(out, bucket), '--provider', 'meta', '--base-url', provider.url];
      // The coordinator holds no provider token: a renewal of its own fails with missing-credential.
      const env = { ...services().env, WHATSAPP_TOKEN: '', WHATSAPP_PHONE_NUMBER_ID: '' };
      expect((await runCli(args, { env })).stderr).toBe('');
      const uploads = () => provider.requests.filter((request) => request.path.endsWith('/media'));
      expect(uploads()).toHaveLength(5);
      expect(startedCount(workers)).toBe(6);

      // Each media id was uploaded 29.5 days ago and has 12 of its 30 days' hours left: due for renewal.
      const manifestPath = join(out, 'wavid-manifest.json');
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { entries: Entry[] };
      const now = Date.now();
      for (const entry of manifest.entries) {
        if (!entry.delivery) continue;
        entry.completedAt = new Date(now - 29.5 * 86_400_000).toISOString();
        entry.delivery.expiresAt = new Date(now + 12 * 3_600_000).toISOString();
      }
      writeFileSync(manifestPath, JSON.stringify(manifest));
      const firstIds = new Set(manifest.entries.map((entry) => entry.delivery?.mediaId).filter((id) => id != null));
      expect(firstIds.size).toBe(5);

      // A renewal the provider refuses keeps the old ids and is tried again, by a new upload, on the next run.
      refuse = true;
      const refused = (JSON.parse((await runCli(args, { env })).stdout) as { files: (Entry & { outcome: string })[] }).files.filter((file) => file.error === null);
      expect(refused.map((file) => [file.outcome, (file.deliveryError as { code: string } | null)?.code])).toEqual(Array.from({ length: 5 }, () => ['failed', 'unauthorized']));
      expect(new Set(refused.map((file) => file.delivery?.mediaId))).toEqual(firstIds);
      expect(uploads()).toHaveLength(10);
      refuse = false;

      const renewal = await runCli(args, { env });
      expect(renewal.stderr).toBe('');
      const files = (JSON.parse(renewal.stdout) as { files: (Entry & { outcome: string })[] }).files.filter((file) => file.error === null);
      expect(files.map((file) => [file.outcome, file.deliveryError])).toEqual(Array.from({ length: 5 }, () => ['renewed', null]));
      for (const file of files) {
        expect(file.delivery).toMatchObject({ kind: 'media-id', mediaId: expect.stringMatching(/^media-\d+$/) as unknown });
        expect(firstIds.has(file.delivery?.mediaId ?? '')).toBe(false);
        expect(Date.parse(file.delivery?.expiresAt ?? '')).toBeGreaterThan(now + 29 * 86_400_000);
      }
      // One upload per output, by a worker, from the output it keeps: nothing was encoded again.
      expect(uploads()).toHaveLength(15);
      for (const upload of uploads()) expect(upload.headers.authorization).toBe('Bearer EAAG-worker-secret');
      expect(startedCount(workers)).toBe(16);
      expect(workers[0]?.log().match(/^done .*: already in the bucket,/gm)).toHaveLength(10);

      // Renewed, the media ids are good for another 30 days: the next run does nothing.
      const after = JSON.parse((await runCli(args, { env })).stdout) as { files: { outcome: string; error: unknown }[] };
      expect(after.files.filter((file) => file.error === null).map((file) => file.outcome)).toEqual(Array.from({ length: 5 }, () => 'skipped'));
      expect(uploads()).toHaveLength(15);
      expect(startedCount(workers)).toBe(16);
    } finally {
      await provider.close();
    }
  }, 300_000);

  it('takes inputs from a bucket and leaves outputs, manifest and report in it, with the same manifest as a local run', async () => {
    const bucket = await newBucket();
    const { s3 } = services();
    const client = createStoreClient({ endpoint: s3.endpoint, region: s3.region, credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey }, env: {} });
    try {
      for (const name of readdirSync(folder, { recursive: true }).map(String)) {
        if (statSync(join(folder, name)).isFile()) await client.send(new PutObjectCommand({ Bucket: bucket, Key: `in/${name}`, Body: readFileSync(join(folder, name)) }));
      }
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'in/week 2/../../escape.mp4', Body: readFileSync(join(folder, 'ready.mp4')) }));
      await startWorkers(2);
      const args = ['run', `s3://${bucket}/in`, '--out', `s3://${bucket}/ready`, '--queue', services().redis.url, '--format', 'json'];
      const queued = await runCli(args, { env: services().env });
      expect(queued.code).toBe(1);
      expect(queued.stderr).toMatch(/^wavid run: passed over s3:\/\/run-\d+\/in\/week 2\/\.\.\/\.\.\/escape\.mp4: .*\[unsafe-key\]\n$/);
      expect((JSON.parse(queued.stdout) as { manifest: string }).manifest).toBe(`s3://${bucket}/ready/wavid-manifest.json`);
      const local = join(root, 'local-for-s3');
      await runCli(['run', folder, '--out', local, '--format', 'json'], { env: services().env });

      const read = async (key: string) => (await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body?.transformToByteArray();
      const manifest = JSON.parse(Buffer.from((await read('ready/wavid-manifest.json')) ?? []).toString('utf8')) as { entries: Entry[] };
      // A failed input from a bucket has no verdict before: the coordinator holds no copy of it to look at.
      const withoutFailedBefore = (entry: Entry) => ({ ...comparable(entry), before: entry.error ? null : entry.before });
      expect(manifest.entries.map(withoutFailedBefore)).toEqual(manifestOf(local).entries.map(withoutFailedBefore));
      for (const entry of manifest.entries.filter((candidate) => candidate.output !== null)) {
        const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: `ready/${entry.output ?? ''}` }));
        expect(head.ContentLength).toBe(entry.outputSizeBytes);
      }
      expect(Buffer.from((await read('ready/report.html')) ?? []).toString('utf8').match(/<article /g)).toHaveLength(6);
      expect(await read('ready/wavid-manifest.csv')).toBeDefined();
      expect(startedCount(workers)).toBe(6);

      // Run again: the manifest comes back from the bucket and the outputs there are found as they were.
      const again = JSON.parse((await runCli(args, { env: services().env })).stdout) as { files: { outcome: string }[] };
      expect(again.files.map((file) => file.outcome)).toEqual(['skipped', 'skipped', 'skipped', 'skipped', 'skipped', 'skipped']);
      expect(startedCount(workers)).toBe(6);
    } finally {
      client.destroy();
    }
  }, 300_000);

  it("passes over the workers' own files when the inputs are the bucket they travel through", async () => {
    const bucket = await newBucket();
    const { s3 } = services();
    const client = createStoreClient({ endpoint: s3.endpoint, region: s3.region, credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey }, env: {} });
    try {
      const ready = readFileSync(join(folder, 'ready.mp4'));
      // What workers leave below wavid/: a staged input and an output, named by content.
      for (const key of ['ready.mp4', `wavid/inputs/${'1'.repeat(64)}.mov`, `wavid/outputs/${'2'.repeat(64)}.mp4`]) {
        await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: ready }));
      }
      await startWorkers(1);
      const out = join(root, 'bucket-root');
      const args = ['run', `s3://${bucket}`, '--out', out, '--queue', services().redis.url, '--format', 'json'];
      const first = await runCli(args, { env: services().env });
      expect(first.stderr).toBe('');
      expect(first.code).toBe(0);
      expect(manifestOf(out).entries.map((entry) => entry.input)).toEqual(['ready.mp4']);
      // The first run's output is now below wavid/outputs/ too: the next run still sees one video.
      const again = JSON.parse((await runCli(args, { env: services().env })).stdout) as { files: { input: string; outcome: string }[] };
      expect(again.files.map((file) => [file.input, file.outcome])).toEqual([['ready.mp4', 'skipped']]);
    } finally {
      client.destroy();
    }
  }, 240_000);

  it('runs each video once when the same folder is run twice at the same time', async () => {
    const bucket = await newBucket();
    await startWorkers(2);
    const [first, second] = await Promise.all([runCli(queuedArgs(join(root, 'twice-a'), bucket), { env: services().env }), runCli(queuedArgs(join(root, 'twice-b'), bucket), { env: services().env })]);
    expect([first.code, second.code]).toEqual([1, 1]);
    expect(manifestOf(join(root, 'twice-a')).entries.map(comparable)).toEqual(manifestOf(join(root, 'twice-b')).entries.map(comparable));
    expect(startedCount(workers)).toBe(6);
  }, 240_000);

  it('loses nothing when the coordinator is killed and started again', async () => {
    const bucket = await newBucket();
    const [only] = await startWorkers(1);
    const out = join(root, 'restarted');
    const coordinator = spawn(process.execPath, [cliPath, ...queuedArgs(out, bucket)], { cwd: repoRoot, env: { ...process.env, ...services().env }, stdio: 'ignore' });
    await only?.waitFor(/^done /m, 120_000);
    coordinator.kill('SIGKILL');
    await new Promise((resolve) => coordinator.once('exit', resolve));
    const again = await runCli(queuedArgs(out, bucket), { env: services().env });
    expect(again.code).toBe(1);
    const entries = manifestOf(out).entries;
    expect(entries.map((entry) => entry.input).sort()).toEqual(['empty.mp4', 'longer.mp4', 'moov-at-end.mp4', 'ready.mp4', 'week 2/b-frames.mp4', 'week 2/teaser.mkv']);
    expect(entries.filter((entry) => entry.after?.ok === true)).toHaveLength(5);
    expect(startedCount(workers)).toBe(6);
  }, 240_000);
});
