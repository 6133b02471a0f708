/** `wavid publish` and `wavid send` as a user runs them: the built CLI, a Swift S3 server and fake providers on loopback. */
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { createStoreClient } from '@wavid/publish';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { closedPort, formBody, jsonBody, startFakeProvider, type FakeProvider, type Reply } from './support/fake-provider.js';
import { metaVideoMessageErrors } from './support/meta-schema.js';
import { describeWithS3 } from './support/s3-suite.js';
import { runCli, samplesDir, type CliRun } from './support/tools.js';

const BUCKET = 'wavid-cli';
const SAMPLE = join(samplesDir, 'compliant.mp4');
const SECRETS = {
  WHATSAPP_TOKEN: 'EAAG-cli-secret-token',
  D360_API_KEY: 'cli-secret-360',
  GUPSHUP_APP_TOKEN: 'cli-secret-gupshup',
  KALEYRA_API_KEY: 'cli-secret-kaleyra',
  ZIXFLOW_API_KEY: 'cli-secret-zixflow',
  ZAPI_TOKEN: 'cli-secret-zapi',
  ZAPI_CLIENT_TOKEN: 'cli-secret-zapi-client',
};
const PROVIDER_ENV = {
  ...SECRETS,
  WHATSAPP_PHONE_NUMBER_ID: '106540352242922',
  GUPSHUP_APP_ID: 'app-42',
  KALEYRA_SID: 'HXAP1600000097IN',
  KALEYRA_SENDER: '+918630005920',
  ZIXFLOW_PHONE_ID: 'phone-77',
  ZAPI_INSTANCE: '3C0FFEE',
};

/** Success answers in each provider's documented shape. */
const SUCCESS: Record<string, Reply> = {
  meta: { status: 200, body: { messaging_product: 'whatsapp', contacts: [], messages: [{ id: 'wamid.cli' }] } },
  '360dialog': { status: 200, body: { messages: [{ id: 'wamid.360', message_status: 'accepted' }] } },
  gupshup: { status: 200, body: { messages: [{ id: 'gs-1' }], messaging_product: 'whatsapp' } },
  kaleyra: { status: 202, body: { code: 'WA202', message: 'Request Accepted', data: { message_id: 'kal-1' }, error: {} } },
  zixflow: { status: 200, body: { status: true, message: 'Message sent successfully' } },
  zapi: { status: 200, body: { zaapId: 'z-1', messageId: 'zapi-1' } },
};
const MEDIA_ANSWER: Reply = { status: 200, body: { id: 'media-1', mediaId: 'media-1', data: { media_id: 'media-1' } } };

function expectNoSecret(run: CliRun): void {
  for (const secret of Object.values(SECRETS)) {
    expect(run.stdout).not.toContain(secret);
    expect(run.stderr).not.toContain(secret);
  }
}

describeWithS3('wavid publish and wavid send', (s3) => {
  let fake: FakeProvider | undefined;
  const storeEnv = () => ({
    AWS_ACCESS_KEY_ID: s3().accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3().secretAccessKey,
    AWS_REGION: s3().region,
    AWS_ENDPOINT_URL_S3: s3().endpoint,
    // Nothing from this machine's AWS set-up, and no instance-metadata lookups.
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
  });
  const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, { env: { ...storeEnv(), ...PROVIDER_ENV, ...env } });
  const serve = async (reply: (path: string) => Reply) => {
    fake = await startFakeProvider((request) => reply(request.path));
    return fake;
  };

  beforeAll(async () => {
    const client = createStoreClient({ endpoint: s3().endpoint, region: s3().region, credentials: { accessKeyId: s3().accessKeyId, secretAccessKey: s3().secretAccessKey } });
    await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
    client.destroy();
  });
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it('publish stores the sample and prints a link that downloads as video/mp4', async () => {
    const run = await cli(['publish', SAMPLE, '--bucket', BUCKET, '--prefix', 'cli', '--expires', '1h', '--format', 'json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { files: { path: string; key: string; url: string; sha256: string; sizeBytes: number; uploaded: boolean }[] };
    expect(report.files).toHaveLength(1);
    const [file] = report.files;
    expect(Object.keys(file ?? {}).sort()).toEqual(['key', 'path', 'sha256', 'sizeBytes', 'uploaded', 'url']);
    expect(file).toMatchObject({ path: SAMPLE, sizeBytes: 32522, uploaded: true });
    expect(file?.key).toBe(`cli/${file?.sha256 ?? ''}.mp4`);
    expect(file?.url).toContain('X-Amz-Expires=3600');
    const response = await fetch(file?.url ?? '');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('video/mp4');
    expect(Buffer.from(await response.arrayBuffer()).equals(readFileSync(SAMPLE))).toBe(true);

    const again = await cli(['publish', SAMPLE, '--bucket', BUCKET, '--prefix', 'cli']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already stored');
  });

  it('publish refuses a non-compliant file with exit 1, and --force publishes it', async () => {
    const refused = await cli(['publish', join(samplesDir, 'violation-b-frames.mp4'), '--bucket', BUCKET]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/does not comply.*B-frames.*\[not-compliant\]/);
    const forced = await cli(['publish', join(samplesDir, 'violation-b-frames.mp4'), '--bucket', BUCKET, '--force']);
    expect(forced.code).toBe(0);
  });

  it('publish: usage errors exit 2', async () => {
    expect((await cli(['publish', SAMPLE])).stderr).toContain('publish needs --bucket');
    const expires = await cli(['publish', SAMPLE, '--bucket', BUCKET, '--expires', '8d']);
    expect(expires.code).toBe(2);
    expect(expires.stderr).toContain('--expires must be from 1 second to 7 days');
  });

  it('publish and send refuse a missing file with exit 2 and one line, before any request', async () => {
    const server = await serve(() => ({ status: 500 }));
    const missing = join(samplesDir, 'no-such-video.mp4');
    const runs = [
      await cli(['publish', missing, '--bucket', BUCKET, '--endpoint', server.url]),
      // The missing file is found before the first one is uploaded.
      await cli(['publish', SAMPLE, missing, '--bucket', BUCKET, '--endpoint', server.url]),
      await cli(['publish', samplesDir, '--bucket', BUCKET, '--endpoint', server.url]),
      await cli(['send', '--provider', 'meta', '--to', '+4915112345678', '--file', missing, '--base-url', server.url]),
      await cli(['send', '--provider', 'zixflow', '--to', '+4915112345678', '--file', missing, '--bucket', BUCKET, '--endpoint', server.url, '--base-url', server.url]),
    ];
    for (const run of runs) {
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^wavid (publish|send): (no such file: .*no-such-video\.mp4|.*samples is not a file)\. Run 'wavid \w+ --help' for usage\.\n$/);
    }
    expect(server.requests).toHaveLength(0);
  });

  it('send --file checks the Kaleyra business number before the compliance gate and the upload', async () => {
    const server = await serve((path) => (path.endsWith('/media') ? MEDIA_ANSWER : (SUCCESS.kaleyra ?? { status: 500 })));
    for (const file of [SAMPLE, join(samplesDir, 'violation-b-frames.mp4')]) {
      const run = await cli(['send', '--provider', 'kaleyra', '--to', '+4915112345678', '--file', file, '--base-url', server.url], { KALEYRA_SENDER: '0863-0005920' });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('KALEYRA_SENDER must be a phone number in E.164 form');
    }
    expect(server.requests).toHaveLength(0);
  });

  it('send --file uploads a 3GP named .mp4 as video/3gpp, as publish stores it', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'wavid-cli-'));
    try {
      const misnamed = join(scratch, 'clip.mp4');
      copyFileSync(join(samplesDir, 'compliant-baseline.3gp'), misnamed);
      const server = await serve((path) => (path.endsWith('/media') ? MEDIA_ANSWER : (SUCCESS.meta ?? { status: 500 })));
      const run = await cli(['send', '--provider', 'meta', '--to', '+4915112345678', '--file', misnamed, '--base-url', server.url]);
      expect(run.code).toBe(0);
      const file = (await formBody(server.requests[0] ?? never())).get('file');
      expect(file instanceof File ? file.type : file).toBe('video/3gpp');
      const published = await cli(['publish', misnamed, '--bucket', BUCKET, '--format', 'json']);
      const url = (JSON.parse(published.stdout) as { files: { url: string }[] }).files[0]?.url ?? '';
      expect((await fetch(url)).headers.get('content-type')).toBe('video/3gpp');
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('send --file refuses a file that does not comply with exit 1, and --force sends it', async () => {
    const server = await serve((path) => (path.endsWith('/media') ? MEDIA_ANSWER : (SUCCESS.meta ?? { status: 500 })));
    const args = ['send', '--provider', 'meta', '--to', '+4915112345678', '--file', join(samplesDir, 'violation-b-frames.mp4'), '--base-url', server.url];
    const refused = await cli(args);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/does not comply.*B-frames.*\[not-compliant\]/);
    expect(server.requests).toHaveLength(0);
    expect((await cli([...args, '--force'])).code).toBe(0);
  });

  for (const provider of ['meta', '360dialog', 'gupshup', 'kaleyra', 'zixflow', 'zapi']) {
    it(`send --link through ${provider}`, async () => {
      const server = await serve(() => SUCCESS[provider] ?? { status: 500 });
      const run = await cli(['send', '--provider', provider, '--to', '+4915112345678', '--link', 'https://cdn.example.com/a.mp4', '--caption', 'hi', '--base-url', server.url, '--format', 'json']);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const result = JSON.parse(run.stdout) as { provider: string; messageId: string | null; status: string };
      expect(result.provider).toBe(provider);
      expect(result.status).toBe('accepted');
      expect(result.messageId === null).toBe(provider === 'zixflow');
      expect(server.requests).toHaveLength(1);
      expectNoSecret(run);
    });
  }

  for (const provider of ['meta', '360dialog', 'gupshup', 'kaleyra']) {
    it(`send --media-id through ${provider}, and --file via its media endpoint`, async () => {
      const server = await serve((path) => (path.endsWith('/media') ? MEDIA_ANSWER : (SUCCESS[provider] ?? { status: 500 })));
      const byId = await cli(['send', '--provider', provider, '--to', '4915112345678', '--media-id', 'media-9', '--base-url', server.url, '--format', 'json']);
      expect(byId.code).toBe(0);
      const body = jsonBody(server.requests[0] ?? never()) as Record<string, unknown>;
      const message = provider === 'kaleyra' ? body.messaging_object : body;
      expect(metaVideoMessageErrors(message)).toEqual([]);
      expect(message).toMatchObject({ video: { id: 'media-9' } });

      const byFile = await cli(['send', '--provider', provider, '--to', '4915112345678', '--file', SAMPLE, '--base-url', server.url]);
      expect(byFile.stderr).toBe('');
      expect(byFile.code).toBe(0);
      const [upload, send] = server.requests.slice(1);
      expect(upload?.path).toMatch(/\/media$/);
      expect((await formBody(upload ?? never())).get('file')).toBeInstanceOf(File);
      const sent = jsonBody(send ?? never()) as Record<string, unknown>;
      expect(provider === 'kaleyra' ? sent.messaging_object : sent).toMatchObject({ video: { id: 'media-1' } });
    });
  }

  it('send --file through a link-only provider publishes to the bucket and sends the checked link', async () => {
    const server = await serve(() => SUCCESS.zixflow ?? { status: 500 });
    const run = await cli(['send', '--provider', 'zixflow', '--to', '+4915112345678', '--file', SAMPLE, '--bucket', BUCKET, '--base-url', server.url]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const body = jsonBody(server.requests[0] ?? never()) as { video: { link: string } };
    expect(body.video.link.startsWith(`${s3().endpoint}/${BUCKET}/`)).toBe(true);
    expect((await fetch(body.video.link)).headers.get('content-type')).toBe('video/mp4');

    const noBucket = await cli(['send', '--provider', 'zixflow', '--to', '+4915112345678', '--file', SAMPLE, '--base-url', server.url]);
    expect(noBucket.code).toBe(2);
    expect(noBucket.stderr).toContain('--file needs --bucket');
  });

  it('send --status through zapi checks the link size and posts to the status endpoint', async () => {
    const publish = await cli(['publish', SAMPLE, '--bucket', BUCKET, '--format', 'json']);
    const url = (JSON.parse(publish.stdout) as { files: { url: string }[] }).files[0]?.url ?? '';
    const server = await serve(() => SUCCESS.zapi ?? { status: 500 });
    const run = await cli(['send', '--provider', 'zapi', '--status', '--link', url, '--base-url', server.url]);
    expect(run.code).toBe(0);
    expect(server.requests[0]?.path).toMatch(/\/send-video-status$/);
  });

  it.each([
    ['a bad number', ['--to', '0151-1234567'], '--to must be a phone number in E.164 form'],
    ['a caption over 1024 characters', ['--to', '+4915112345678', '--caption', 'x'.repeat(1025)], '--caption may be at most 1024 characters; this one has 1025'],
    ['a media id for a link-only provider', ['--to', '+4915112345678', '--provider', 'zixflow'], 'zixflow takes links only'],
  ])('send refuses %s with exit 2 and sends nothing', async (_name, args, message) => {
    const server = await serve(() => ({ status: 500 }));
    const provider = args.includes('--provider') ? [] : ['--provider', 'meta'];
    const run = await cli(['send', ...provider, ...args, args.includes('zixflow') ? '--media-id' : '--link', args.includes('zixflow') ? 'm1' : 'https://cdn.example.com/a.mp4', '--base-url', server.url]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(server.requests).toHaveLength(0);
  });

  it('send names a missing credential with exit 2', async () => {
    const run = await cli(['send', '--provider', 'kaleyra', '--to', '+4915112345678', '--link', 'https://cdn.example.com/a.mp4'], { KALEYRA_SID: '' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('kaleyra needs KALEYRA_SID');
  });

  it('send reports refused credentials (401) with exit 1 and no secret', async () => {
    const server = await serve(() => ({ status: 401, body: { code: 'RBC001', message: 'Incorrect SID or API key.', data: [], error: { error: `bad key ${SECRETS.KALEYRA_API_KEY}` } } }));
    const run = await cli(['send', '--provider', 'kaleyra', '--to', '+4915112345678', '--link', 'https://cdn.example.com/a.mp4', '--base-url', server.url]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Kaleyra refused the request (HTTP 401, RBC001): Incorrect SID or API key. [unauthorized]');
    expectNoSecret(run);
  });

  it('send reports an unreachable server with exit 1 and no secret', async () => {
    const port = await closedPort();
    const run = await cli(['send', '--provider', 'zapi', '--to', '+4915112345678', '--link', 'https://cdn.example.com/a.mp4', '--base-url', `http://127.0.0.1:${port}`]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/cannot reach Z-API \(.*ECONNREFUSED.*\) after 3 tries; nothing was sent \[unreachable\]/);
    expectNoSecret(run);
  });
});

function never(): never {
  throw new Error('missing request');
}
