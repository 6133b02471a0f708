/**
 * Each sender against a local server that checks the documented method, path, headers and body of its
 * provider and answers with the documented bodies. Meta-shaped bodies are validated against Meta's schema.
 */
import { ProviderError, sendVideo, uploadMedia, type ProviderName } from '@wavid/publish';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { closedPort, fileField, formBody, jsonBody, startFakeProvider, type FakeProvider, type Reply } from './support/fake-provider.js';
import { metaVideoMessageErrors } from './support/meta-schema.js';
import { samplesDir } from './support/tools.js';

const SAMPLE = `${samplesDir}/compliant.mp4`;
const LINK = 'https://cdn.example.com/videos/clip.mp4';
const SECRETS = {
  WHATSAPP_TOKEN: 'EAAG-secret-meta-token-0001',
  D360_API_KEY: 'secret-360-key-0002',
  GUPSHUP_APP_TOKEN: 'sk_secret-gupshup-0003',
  KALEYRA_API_KEY: 'Asecret-kaleyra-key-0004',
  ZIXFLOW_API_KEY: 'secret-zixflow-key-0005',
  ZAPI_TOKEN: 'secret-zapi-token-0006',
  ZAPI_CLIENT_TOKEN: 'secret-zapi-client-0007',
};
const ENV = {
  ...SECRETS,
  WHATSAPP_PHONE_NUMBER_ID: '106540352242922',
  GUPSHUP_APP_ID: 'app-42',
  KALEYRA_SID: 'HXAP1600000097IN',
  KALEYRA_SENDER: '+918630005920',
  ZIXFLOW_PHONE_ID: 'phone-77',
  ZAPI_INSTANCE: '3C0FFEE',
};

let server: FakeProvider | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(reply: Reply | ((index: number) => Reply)): Promise<FakeProvider> {
  server = await startFakeProvider((_request, index) => (typeof reply === 'function' ? reply(index) : reply));
  return server;
}

function only(fake: FakeProvider) {
  expect(fake.requests).toHaveLength(1);
  const [request] = fake.requests;
  if (!request) throw new Error('no request');
  return request;
}

/** Every field of a ProviderError, checked for leaked credentials. */
function expectNoSecret(error: unknown): void {
  const text = [String(error), (error as Error).stack ?? '', JSON.stringify(error)].join('\n');
  for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret);
}

async function refusal(call: Promise<unknown>): Promise<ProviderError> {
  const error = await call.then(
    () => {
      throw new Error('expected a ProviderError');
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ProviderError);
  expectNoSecret(error);
  return error as ProviderError;
}

const send = (provider: ProviderName, fake: FakeProvider, extra: Record<string, unknown> = {}) =>
  sendVideo({ provider, to: '+4915112345678', link: LINK, caption: 'Launch day', env: ENV, baseUrl: fake.url, ...extra });

describe('meta', () => {
  const success = { messaging_product: 'whatsapp', contacts: [{ input: '4915112345678', wa_id: '4915112345678' }], messages: [{ id: 'wamid.HBgL123' }] };

  it('sends a link as Meta documents it, with a body valid against Meta’s schema', async () => {
    const fake = await serve({ status: 200, body: success });
    const result = await send('meta', fake);
    expect(result).toEqual({ provider: 'meta', messageId: 'wamid.HBgL123', status: 'accepted' });
    const request = only(fake);
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/v23.0/106540352242922/messages');
    expect(request.headers.authorization).toBe(`Bearer ${SECRETS.WHATSAPP_TOKEN}`);
    expect(request.headers['content-type']).toBe('application/json');
    const body = jsonBody(request);
    expect(body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '4915112345678',
      type: 'video',
      video: { link: LINK, caption: 'Launch day' },
    });
    expect(metaVideoMessageErrors(body)).toEqual([]);
  });

  it('sends by media id, with WHATSAPP_API_VERSION in the path', async () => {
    const fake = await serve({ status: 200, body: success });
    await sendVideo({ provider: 'meta', to: '4915112345678', mediaId: '1166846181421424', env: { ...ENV, WHATSAPP_API_VERSION: 'v24.0' }, baseUrl: fake.url });
    const request = only(fake);
    expect(request.path).toBe('/v24.0/106540352242922/messages');
    const body = jsonBody(request);
    expect(body).toMatchObject({ video: { id: '1166846181421424' } });
    expect(metaVideoMessageErrors(body)).toEqual([]);
  });

  it('the schema check has teeth: it rejects what Meta would', () => {
    const valid = { messaging_product: 'whatsapp', recipient_type: 'individual', to: '4915112345678', type: 'video', video: { id: '1' } };
    expect(metaVideoMessageErrors(valid)).toEqual([]);
    expect(metaVideoMessageErrors({ ...valid, video: { id: '1', link: LINK } })).not.toEqual([]);
    expect(metaVideoMessageErrors({ ...valid, video: {} })).not.toEqual([]);
    expect(metaVideoMessageErrors({ ...valid, videos: { id: '1' } })).not.toEqual([]);
    expect(metaVideoMessageErrors({ ...valid, recipient_type: 'everyone' })).not.toEqual([]);
  });

  it('uploads media as multipart messaging_product and file with its MIME type, and returns a 30-day id', async () => {
    const fake = await serve({ status: 200, body: { id: '4490709327384033' } });
    const now = Date.parse('2025-01-01T00:00:00Z');
    const media = await uploadMedia({ provider: 'meta', path: SAMPLE, env: ENV, baseUrl: fake.url, now: () => now });
    expect(media).toEqual({ mediaId: '4490709327384033', expiresAt: '2025-01-31T00:00:00.000Z' });
    const request = only(fake);
    expect(request.path).toBe('/v23.0/106540352242922/media');
    expect(request.headers.authorization).toBe(`Bearer ${SECRETS.WHATSAPP_TOKEN}`);
    const form = await formBody(request);
    expect(form.get('messaging_product')).toBe('whatsapp');
    const file = fileField(form, 'file');
    expect(file.type).toBe('video/mp4');
    expect(file.name).toBe('compliant.mp4');
    expect(file.size).toBe(32522);
  });

  it('uploads a 3GP file named .mp4 as video/3gpp: the container decides, not the name', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'wavid-media-'));
    try {
      const misnamed = join(scratch, 'clip.mp4');
      copyFileSync(`${samplesDir}/compliant-baseline.3gp`, misnamed);
      const fake = await serve({ status: 200, body: { id: '4490709327384034' } });
      await uploadMedia({ provider: 'meta', path: misnamed, env: ENV, baseUrl: fake.url });
      expect(fileField(await formBody(only(fake)), 'file').type).toBe('video/3gpp');
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('reads Meta’s error object into a ProviderError with Meta’s code', async () => {
    const fake = await serve({ status: 401, body: { error: { message: 'Invalid OAuth access token.', type: 'OAuthException', code: 190, fbtrace_id: 'A1' } } });
    const error = await refusal(send('meta', fake));
    expect(error).toMatchObject({ code: 'unauthorized', provider: 'meta', status: 401, providerCode: '190', retryable: false });
    expect(error.message).toContain('Invalid OAuth access token.');
  });
});

describe('360dialog', () => {
  it('sends the Meta object to /messages with the D360-API-KEY header', async () => {
    const fake = await serve({ status: 200, body: { contacts: [{ input: '4915112345678', wa_id: '4915112345678' }], messages: [{ id: 'wamid.360', message_status: 'accepted' }], messaging_product: 'whatsapp' } });
    const result = await send('360dialog', fake, { mediaId: undefined });
    expect(result).toEqual({ provider: '360dialog', messageId: 'wamid.360', status: 'accepted' });
    const request = only(fake);
    expect([request.method, request.path]).toEqual(['POST', '/messages']);
    expect(request.headers['d360-api-key']).toBe(SECRETS.D360_API_KEY);
    expect(request.headers.authorization).toBeUndefined();
    expect(metaVideoMessageErrors(jsonBody(request))).toEqual([]);
  });

  it('uploads to /media and reads the documented 400', async () => {
    const fake = await serve((index) => (index === 0 ? { status: 200, body: { id: 'media-360' } } : { status: 400, body: { error: 'Invalid request' } }));
    const media = await uploadMedia({ provider: '360dialog', path: SAMPLE, env: ENV, baseUrl: fake.url });
    expect(media.mediaId).toBe('media-360');
    const form = await formBody(fake.requests[0] ?? fail());
    expect(form.get('messaging_product')).toBe('whatsapp');
    expect(fake.requests[0]?.path).toBe('/media');
    const error = await refusal(sendVideo({ provider: '360dialog', to: '+4915112345678', mediaId: 'media-360', env: ENV, baseUrl: fake.url }));
    expect(error).toMatchObject({ code: 'rejected', status: 400, providerCode: null, message: '360dialog refused the request (HTTP 400): Invalid request' });
  });
});

describe('gupshup', () => {
  it('sends the Meta object to /partner/app/{APP_ID}/v3/message with the bare app token', async () => {
    const fake = await serve({ status: 200, body: { messages: [{ id: 'GUPSHUP_MESSAGE_ID' }], messaging_product: 'whatsapp', contacts: [{ input: '4915112345678', wa_id: '4915112345678' }] } });
    const result = await send('gupshup', fake);
    expect(result).toEqual({ provider: 'gupshup', messageId: 'GUPSHUP_MESSAGE_ID', status: 'accepted' });
    const request = only(fake);
    expect(request.path).toBe('/partner/app/app-42/v3/message');
    expect(request.headers.authorization).toBe(SECRETS.GUPSHUP_APP_TOKEN);
    expect(metaVideoMessageErrors(jsonBody(request))).toEqual([]);
  });

  it('uploads with file and file_type and reads {mediaId}', async () => {
    const fake = await serve({ status: 200, body: { mediaId: '1852559851913765', status: 'success' } });
    const media = await uploadMedia({ provider: 'gupshup', path: SAMPLE, env: ENV, baseUrl: fake.url });
    expect(media.mediaId).toBe('1852559851913765');
    const request = only(fake);
    expect(request.path).toBe('/partner/app/app-42/media');
    const form = await formBody(request);
    expect(form.get('file_type')).toBe('video/mp4');
    expect(fileField(form, 'file').size).toBe(32522);
  });

  it('reads {status:"error"} answers', async () => {
    const fake = await serve({ status: 401, body: { status: 'error', message: 'Authentication Failed' } });
    const error = await refusal(send('gupshup', fake));
    expect(error).toMatchObject({ code: 'unauthorized', status: 401, providerCode: 'error', message: 'Gupshup refused the request (HTTP 401, error): Authentication Failed' });
  });
});

describe('kaleyra', () => {
  it('wraps the Meta object in messaging_object, sender in the path, numbers with +', async () => {
    const fake = await serve({ status: 202, body: { code: 'WA202', message: 'Request Accepted', data: { message_id: 'AXXXX1' }, error: {} } });
    const result = await send('kaleyra', fake, { extraInfo: { ref: 'customer1', waSource: 'api' } });
    expect(result).toEqual({ provider: 'kaleyra', messageId: 'AXXXX1', status: 'accepted' });
    const request = only(fake);
    expect(request.path).toBe('/v2/HXAP1600000097IN/whatsapp/+918630005920/messages');
    expect(request.headers['api-key']).toBe(SECRETS.KALEYRA_API_KEY);
    expect(request.headers['content-type']).toBe('application/json');
    const body = jsonBody(request) as { messaging_object: unknown; extra_info: unknown };
    expect(body).toEqual({
      messaging_object: { messaging_product: 'whatsapp', recipient_type: 'individual', to: '+4915112345678', type: 'video', video: { link: LINK, caption: 'Launch day' } },
      extra_info: { ref: 'customer1', wa_source: 'api' },
    });
    expect(metaVideoMessageErrors(body.messaging_object)).toEqual([]);
  });

  it('uploads with file and type', async () => {
    const fake = await serve({ status: 200, body: { code: 'WA200', data: { media_id: 'kal-media-1' } } });
    const media = await uploadMedia({ provider: 'kaleyra', path: SAMPLE, env: ENV, baseUrl: fake.url });
    expect(media.mediaId).toBe('kal-media-1');
    const request = only(fake);
    expect(request.path).toBe('/v2/HXAP1600000097IN/whatsapp/+918630005920/media');
    expect((await formBody(request)).get('type')).toBe('video/mp4');
  });

  it('refuses a bad business number (KALEYRA_SENDER) before uploading or sending anything', async () => {
    const fake = await serve({ status: 200, body: { code: 'WA200', data: { media_id: 'kal-media-1' } } });
    const env = { ...ENV, KALEYRA_SENDER: '0863-0005920' };
    const expected = { code: 'invalid-option', option: 'KALEYRA_SENDER', message: expect.stringContaining('E.164') as unknown };
    await expect(uploadMedia({ provider: 'kaleyra', path: SAMPLE, env, baseUrl: fake.url })).rejects.toMatchObject(expected);
    await expect(sendVideo({ provider: 'kaleyra', to: '+4915112345678', mediaId: 'kal-media-1', env, baseUrl: fake.url })).rejects.toMatchObject(expected);
    expect(fake.requests).toHaveLength(0);
  });

  it.each([
    [401, { code: 'RBC001', message: 'Incorrect SID or API key.', data: [], error: { error: 'Incorrect SID or API key.' } }, 'unauthorized', 'RBC001'],
    [401, { code: 'WA401', message: 'Phone number is not present or does not belong to the account.', data: {}, error: {} }, 'unauthorized', 'WA401'],
    [400, { code: 'E110', message: 'Please check your balance, You have a low balance!', data: {}, error: {} }, 'rejected', 'E110'],
    [500, { code: 'WA500', message: 'Please try again later', data: {}, error: { error: 'Internal server error' } }, 'server-error', 'WA500'],
  ])('reads a %i %o as a ProviderError', async (status, body, code, providerCode) => {
    const fake = await serve({ status, body });
    const error = await refusal(send('kaleyra', fake));
    expect(error).toMatchObject({ code, status, providerCode, retryable: false });
    expect(error.message).toContain(body.message);
    // A 5xx after the body went out is never retried: the message may have been sent.
    expect(fake.requests).toHaveLength(1);
  });
});

describe('zixflow', () => {
  it('sends the documented body with a bearer key and reads a null message id', async () => {
    const fake = await serve({ status: 200, body: { status: true, message: 'Message sent successfully' } });
    const result = await send('zixflow', fake);
    expect(result).toEqual({ provider: 'zixflow', messageId: null, status: 'accepted' });
    const request = only(fake);
    expect(request.path).toBe('/api/v1/campaign/whatsapp/message/send');
    expect(request.headers.authorization).toBe(`Bearer ${SECRETS.ZIXFLOW_API_KEY}`);
    expect(jsonBody(request)).toEqual({
      to: '4915112345678',
      phoneId: 'phone-77',
      type: 'video',
      video: { link: LINK, caption: 'Launch day' },
      source: 'API',
      linkWithRecord: false,
      submissionStatus: false,
    });
  });

  it('treats status:false as a refusal even with HTTP 200', async () => {
    const fake = await serve({ status: 200, body: { status: false, message: 'Invalid data Provided' } });
    const error = await refusal(send('zixflow', fake));
    expect(error).toMatchObject({ code: 'bad-response', status: 200, message: expect.stringContaining('Invalid data Provided') as unknown });
  });

  it('refuses a media id before any request', async () => {
    const fake = await serve({ status: 200, body: {} });
    await expect(sendVideo({ provider: 'zixflow', to: '+4915112345678', mediaId: '1', env: ENV, baseUrl: fake.url })).rejects.toMatchObject({ code: 'invalid-option', option: 'mediaId' });
    expect(fake.requests).toHaveLength(0);
  });
});

describe('zapi', () => {
  it('sends a chat video to /send-video with phone, and the Client-Token header', async () => {
    const fake = await serve({ status: 200, body: { zaapId: '3999984263738042930CD6ECDE9VDWSA', messageId: 'D241XXXX732339502B68' } });
    const result = await send('zapi', fake);
    expect(result).toEqual({ provider: 'zapi', messageId: 'D241XXXX732339502B68', status: 'accepted' });
    const request = only(fake);
    expect(request.path).toBe(`/instances/3C0FFEE/token/${SECRETS.ZAPI_TOKEN}/send-video`);
    expect(request.headers['client-token']).toBe(SECRETS.ZAPI_CLIENT_TOKEN);
    expect(jsonBody(request)).toEqual({ phone: '4915112345678', video: LINK, caption: 'Launch day' });
  });

  it('posts a status video to /send-video-status without a phone', async () => {
    const fake = await serve({ status: 200, body: { zaapId: 'z1', messageId: 'm1' } });
    await sendVideo({ provider: 'zapi', status: true, link: LINK, env: ENV, baseUrl: fake.url, sizeBytes: 9_000_000 });
    const request = only(fake);
    expect(request.path).toBe(`/instances/3C0FFEE/token/${SECRETS.ZAPI_TOKEN}/send-video-status`);
    expect(jsonBody(request)).toEqual({ video: LINK });
  });

  it('refuses a status video over 10 MB before any request', async () => {
    const fake = await serve({ status: 200, body: {} });
    await expect(sendVideo({ provider: 'zapi', status: true, link: LINK, env: ENV, baseUrl: fake.url, sizeBytes: 10_000_001 })).rejects.toMatchObject({ option: 'sizeBytes' });
    expect(fake.requests).toHaveLength(0);
  });

  it('never shows the token from its URL in an error', async () => {
    const fake = await serve({ status: 405, body: `no route for /instances/3C0FFEE/token/${SECRETS.ZAPI_TOKEN}/send-video` });
    const error = await refusal(send('zapi', fake));
    expect(error.message).toContain('/token/***/send-video');
  });
});

describe('checks before any request', () => {
  it.each([
    ['a number without country code', { to: '0151 1234567' }, 'to'],
    ['a number too short', { to: '+1234567' }, 'to'],
    ['a number too long', { to: '+1234567890123456' }, 'to'],
    ['a caption over 1024 characters', { caption: 'x'.repeat(1025) }, 'caption'],
    ['a link that is not http(s)', { link: 'ftp://example.com/a.mp4' }, 'link'],
  ])('refuses %s', async (_name, override, option) => {
    const fake = await serve({ status: 200, body: {} });
    await expect(send('meta', fake, override)).rejects.toMatchObject({ code: 'invalid-option', option });
    expect(fake.requests).toHaveLength(0);
  });

  it('counts caption characters as code points', async () => {
    const fake = await serve({ status: 200, body: { messages: [{ id: 'w' }] } });
    await expect(send('meta', fake, { caption: '🎬'.repeat(1024) })).resolves.toMatchObject({ messageId: 'w' });
  });

  it('names the missing environment variable', async () => {
    const fake = await serve({ status: 200, body: {} });
    const env: Record<string, string> = { ...ENV };
    delete env.WHATSAPP_TOKEN;
    await expect(sendVideo({ provider: 'meta', to: '+4915112345678', link: LINK, env, baseUrl: fake.url })).rejects.toMatchObject({
      code: 'missing-credential',
      variable: 'WHATSAPP_TOKEN',
    });
    expect(fake.requests).toHaveLength(0);
  });
});

describe('retries', () => {
  it('retries a refused connection, then reports it as unreachable and retryable', async () => {
    const port = await closedPort();
    const retries: number[] = [];
    const error = await refusal(
      sendVideo({ provider: 'meta', to: '+4915112345678', link: LINK, env: ENV, baseUrl: `http://127.0.0.1:${port}`, retry: { baseDelayMs: 1 }, onRetry: (event) => retries.push(event.attempt) }),
    );
    expect(error).toMatchObject({ code: 'unreachable', status: null, retryable: true });
    expect(error.message).toMatch(/ECONNREFUSED.*after 3 tries; nothing was sent/);
    expect(retries).toEqual([1, 2]);
  });

  it('waits out a 429 with Retry-After and sends once more', async () => {
    const fake = await serve((index) => (index === 0 ? { status: 429, body: { error: { message: 'slow down', code: 130429 } }, headers: { 'retry-after': '0' } } : { status: 200, body: { messages: [{ id: 'after-429' }] } }));
    await expect(send('meta', fake)).resolves.toMatchObject({ messageId: 'after-429' });
    expect(fake.requests).toHaveLength(2);
  });

  it('does not retry a 429 without Retry-After, but marks it retryable', async () => {
    const fake = await serve({ status: 429, body: { error: { message: 'slow down', code: 130429 } } });
    const error = await refusal(send('meta', fake));
    expect(error).toMatchObject({ code: 'rate-limited', retryable: true, providerCode: '130429' });
    expect(fake.requests).toHaveLength(1);
  });

  it('does not retry a timeout: the message may have gone out', async () => {
    // A server that accepts the connection and never answers.
    const sockets: Socket[] = [];
    const hang = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => {
      hang.listen(0, '127.0.0.1', () => {
        resolve();
      });
    });
    const { port } = hang.address() as AddressInfo;
    try {
      const error = await refusal(sendVideo({ provider: 'meta', to: '+4915112345678', link: LINK, env: ENV, baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 300 }));
      expect(error).toMatchObject({ code: 'timeout', retryable: false });
    } finally {
      for (const socket of sockets) socket.destroy();
      hang.close();
    }
  });
});

function fail(): never {
  throw new Error('missing request');
}
