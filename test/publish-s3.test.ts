/** publishFile against a real S3-compatible server (Swift with s3api) on loopback. */
import { CreateBucketCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createStoreClient, getBytes, MAX_WHOLE_OBJECT_BYTES, publishFile, PublishError, type ProgressEvent } from '@wavid/publish';
import { objectStore } from '@wavid/queue';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFakeProvider } from './support/fake-provider.js';
import { describeWithS3 } from './support/s3-suite.js';
import { samplesDir } from './support/tools.js';

const BUCKET = 'wavid-library';
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describeWithS3('publishFile on Swift s3api', (s3) => {
  let s3Client: S3Client | undefined;
  const client = () => s3Client ?? missing();
  let scratch: string;
  const connection = () => ({
    bucket: BUCKET,
    endpoint: s3().endpoint,
    region: s3().region,
    credentials: { accessKeyId: s3().accessKeyId, secretAccessKey: s3().secretAccessKey },
  });

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'wavid-publish-'));
    s3Client = createStoreClient(connection());
    await client().send(new CreateBucketCommand({ Bucket: BUCKET }));
  });
  afterAll(() => {
    s3Client?.destroy();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('stores a compliant video under its SHA-256 and returns a presigned link that serves it as video/mp4', async () => {
    const path = join(samplesDir, 'compliant.mp4');
    const bytes = readFileSync(path);
    const events: ProgressEvent[] = [];
    const file = await publishFile({ ...connection(), path, prefix: 'clips/', onProgress: (event) => events.push(event) });
    expect(file).toMatchObject({ key: `clips/${sha256(bytes)}.mp4`, sha256: sha256(bytes), sizeBytes: bytes.length, uploaded: true, contentType: 'video/mp4' });
    expect(file.url).toContain('X-Amz-Signature=');
    expect(events.at(-1)).toEqual({ stage: 'upload', loaded: bytes.length, total: bytes.length, fraction: 1 });
    expect(events.some((event) => event.stage === 'hash')).toBe(true);

    const response = await fetch(file.url, { redirect: 'manual' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('video/mp4');
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);

    const again = await publishFile({ ...connection(), path, prefix: 'clips' });
    expect(again).toMatchObject({ key: file.key, uploaded: false });
  });

  it('stores a 3GP file as video/3gpp', async () => {
    const file = await publishFile({ ...connection(), path: join(samplesDir, 'compliant-baseline.3gp') });
    expect(file.key).toMatch(/^[0-9a-f]{64}\.3gp$/);
    const head = await client().send(new HeadObjectCommand({ Bucket: BUCKET, Key: file.key }));
    expect(head.ContentType).toBe('video/3gpp');
  });

  it('uploads a large file in parts, byte for byte (no aws-chunked framing stored)', async () => {
    const path = join(scratch, 'large.mp4');
    const bytes = randomBytes(12 * 1024 * 1024);
    writeFileSync(path, bytes);
    const loaded: number[] = [];
    const file = await publishFile({
      ...connection(),
      path,
      force: true,
      profile: { name: 'whatsapp', maxSizeBytes: 100_000_000, sizeLimitLabel: 'test' },
      onProgress: (event) => event.stage === 'upload' && event.loaded !== null && loaded.push(event.loaded),
    });
    expect(file.uploaded).toBe(true);
    const head = await client().send(new HeadObjectCommand({ Bucket: BUCKET, Key: file.key }));
    // A multipart object's ETag is "<md5 of part md5s>-<parts>".
    expect(head.ETag).toMatch(/-3"$/);
    const stored = Buffer.from(await (await fetch(file.url)).arrayBuffer());
    expect(stored.length).toBe(bytes.length);
    expect(sha256(stored)).toBe(sha256(bytes));
    expect(loaded.length).toBeGreaterThan(2);
  });

  it('refuses a file that does not comply, before any upload', async () => {
    const error = await publishFile({ ...connection(), path: join(samplesDir, 'violation-b-frames.mp4') }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PublishError);
    expect(error).toMatchObject({ code: 'not-compliant', violations: [expect.objectContaining({ code: 'b-frames' })] });
  });

  it('checks a public URL as Meta would and refuses one served with the wrong type or a redirect', async () => {
    const path = join(samplesDir, 'compliant.mp4');
    const size = readFileSync(path).length;
    const octet = await startFakeProvider(() => ({ status: 200, body: 'x'.repeat(size), headers: { 'content-type': 'application/octet-stream' } }));
    const redirect = await startFakeProvider(() => ({ status: 302, headers: { location: 'https://login.example.com/' } }));
    try {
      await expect(publishFile({ ...connection(), path, publicBaseUrl: octet.url })).rejects.toMatchObject({
        code: 'link-check-failed',
        message: expect.stringContaining('served as application/octet-stream, not video/mp4') as unknown,
      });
      await expect(publishFile({ ...connection(), path, publicBaseUrl: `${redirect.url}/cdn` })).rejects.toMatchObject({
        code: 'link-check-failed',
        message: expect.stringContaining('redirects (HTTP 302 to https://login.example.com/)') as unknown,
      });
      expect(redirect.requests[0]?.path).toMatch(/^\/cdn\/[0-9a-f]{64}\.mp4$/);
    } finally {
      await octet.close();
      await redirect.close();
    }
  });

  it('reports a missing bucket as a store failure', async () => {
    await expect(publishFile({ ...connection(), bucket: 'no-such-bucket', path: join(samplesDir, 'compliant.mp4') })).rejects.toMatchObject({
      code: 'store-failed',
    });
  });

  it('stops an upload when its signal is aborted', async () => {
    const path = join(scratch, 'abort.mp4');
    writeFileSync(path, randomBytes(11 * 1024 * 1024));
    const controller = new AbortController();
    const reason = new Error('stop');
    const run = publishFile({
      ...connection(),
      path,
      force: true,
      profile: { name: 'whatsapp', maxSizeBytes: 100_000_000, sizeLimitLabel: 'test' },
      signal: controller.signal,
      onProgress: (event) => {
        if (event.stage === 'upload') controller.abort(reason);
      },
    });
    await expect(run).rejects.toBe(reason);
  });

  it('refuses to read whole an object larger than a manifest or a job result can be', async () => {
    const put = (key: string, body: Buffer) => client().send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
    await put('small.json', Buffer.from('{"entries":[]}'));
    expect(Buffer.from((await getBytes(client(), BUCKET, 'small.json')) ?? []).toString()).toBe('{"entries":[]}');
    await expect(getBytes(client(), BUCKET, 'small.json', undefined, 10)).rejects.toMatchObject({ code: 'object-too-large', recovery: 'give-up' });
    expect(await getBytes(client(), BUCKET, 'missing.json')).toBeNull();
    // A planted job result: the queue reads it with the same cap.
    await put('wavid/results/planted.json', Buffer.alloc(MAX_WHOLE_OBJECT_BYTES + 1, 0x20));
    const refused = await objectStore(client()).getJson(BUCKET, 'wavid/results/planted.json').then(() => null, (error: unknown) => error);
    expect(refused).toBeInstanceOf(PublishError);
    expect(refused).toMatchObject({ code: 'object-too-large', message: expect.stringMatching(/^s3:\/\/wavid-library\/wavid\/results\/planted\.json is larger than 67108864 bytes/) as unknown });
    expect(await objectStore(client()).getJson(BUCKET, 'small.json')).toEqual({ entries: [] });
  }, 60_000);
});

function missing(): never {
  throw new Error('the S3 client was not created');
}
