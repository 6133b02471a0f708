/**
 * The campaign send loop against a provider on loopback that checks the documented request shapes and counts
 * requests per recipient: duplicates, resume, throttles with Retry-After, an account refusal, unknown outcomes.
 */
import { readCampaignReport, sendCampaign, type SendCampaignOptions } from '@wavid/campaign';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { messagesPerRecipient, numbers, useCampaignScratch } from './support/campaign-scratch.js';
import { jsonBody, type FakeProvider, type ReceivedRequest, type Reply } from './support/fake-provider.js';
import { samplesDir } from './support/tools.js';

const META_ENV = { WHATSAPP_TOKEN: 'secret-token-1', WHATSAPP_PHONE_NUMBER_ID: '99' };
const KALEYRA_ENV = { KALEYRA_SID: 'SID1', KALEYRA_API_KEY: 'secret-key-2', KALEYRA_SENDER: '+918630005920' };

const scratch = useCampaignScratch('wavid-campaign-');

interface Provider {
  fake: FakeProvider;
  uploads: () => number;
  /** Message requests per recipient number (digits as sent). */
  perRecipient: () => Map<string, number>;
  messages: () => ReceivedRequest[];
}

/** A Meta-shaped provider: media uploads and messages, each checked; `answer` decides each message's reply. */
async function metaProvider(answer: (to: string, index: number) => Reply | undefined = () => undefined): Promise<Provider> {
  let messageIndex = 0;
  const fake = await scratch.startProvider((request) => {
    if (request.path === '/v23.0/99/media') return { status: 200, body: { id: 'media-1' } };
    if (request.path !== '/v23.0/99/messages' || request.headers.authorization !== 'Bearer secret-token-1') return { status: 404, body: { error: { message: 'unexpected request', code: 100 } } };
    const body = jsonBody(request) as { to: string; type: string; template?: { name: string; language: { code: string; policy: string }; components: unknown[] } };
    expect(body.type).toBe('template');
    expect(body.template?.language).toEqual({ policy: 'deterministic', code: 'en_US' });
    expect(body.template?.components[0]).toEqual({ type: 'header', parameters: [{ type: 'video', video: { id: 'media-1' } }] });
    return answer(body.to, messageIndex++) ?? { status: 200, body: { messaging_product: 'whatsapp', messages: [{ id: `wamid.${body.to}` }] } };
  });
  const messages = () => fake.requests.filter((request) => request.path.endsWith('/messages'));
  return {
    fake,
    uploads: () => fake.requests.filter((request) => request.path.endsWith('/media')).length,
    messages,
    perRecipient: () => messagesPerRecipient(fake),
  };
}

function options(provider: Provider, recipients: string, extra: Partial<SendCampaignOptions> = {}): SendCampaignOptions {
  return {
    name: 'spring',
    dir: scratch.dir,
    video: join(samplesDir, 'compliant.mp4'),
    recipients,
    provider: 'meta',
    message: { kind: 'template', template: 'spring_sale', language: 'en_US', parameterColumns: ['name'] },
    env: META_ENV,
    baseUrl: provider.fake.url,
    ...extra,
  };
}

describe('campaign send', () => {
  it('sends each number once, duplicates included, uploads the video once, and a re-run sends nothing', async () => {
    const provider = await metaProvider();
    const [a, b, c] = numbers(3);
    const path = scratch.writeList([`${a},Ana`, `${b},Bo`, `${a},Ana again`, `${c},Cy`]);
    const first = await sendCampaign(options(provider, path));
    expect(first.duplicates).toEqual([{ line: 4, firstLine: 2 }]);
    expect(first.counts).toMatchObject({ accepted: 3, pending: 0, unknown: 0, failed: 0 });
    expect([...provider.perRecipient().values()]).toEqual([1, 1, 1]);
    const bodyOfAna = provider.messages().map((request) => jsonBody(request) as { to: string; template: { components: unknown[] } }).find((body) => body.to === a?.slice(1));
    expect(bodyOfAna?.template.components[1]).toEqual({ type: 'body', parameters: [{ type: 'text', text: 'Ana' }] });
    expect(provider.uploads()).toBe(1);

    const again = await sendCampaign(options(provider, path));
    expect(again.requests).toBe(0);
    expect(provider.messages()).toHaveLength(3);
    // Nothing left to send, so the video is not even looked at again.
    expect(provider.uploads()).toBe(1);

    // A new row in the list is sent on the next run, with the media id kept in the ledger.
    const d = numbers(4)[3];
    const grown = await sendCampaign(options(provider, scratch.writeList([`${a},Ana`, `${b},Bo`, `${c},Cy`, `${d},Di`])));
    expect(grown.requests).toBe(1);
    expect(grown.media?.reused).toBe(true);
    expect(provider.uploads()).toBe(1);
  });

  it('sends a list longer than a page of the ledger, repeats across pages included, each number once', async () => {
    const provider = await metaProvider();
    const many = Array.from({ length: 1100 }, (_, index) => `+4915200${String(index).padStart(5, '0')},N${index}`);
    // Repeats far apart: the ledger tells them apart, not a set held in memory.
    const path = scratch.writeList([...many, many[3] ?? '', many[1050] ?? '']);
    const result = await sendCampaign(options(provider, path, { ratePerSecond: 1000 }));
    expect(result.listed).toBe(1100);
    expect(result.duplicateCount).toBe(2);
    expect(result.duplicates).toEqual([{ line: 1102, firstLine: 5 }, { line: 1103, firstLine: 1052 }]);
    expect(result.counts).toMatchObject({ accepted: 1100, pending: 0 });
    const counts = provider.perRecipient();
    expect(counts.size).toBe(1100);
    expect(Math.max(...counts.values())).toBe(1);
    // Each number with the parameters of its own row, on the last page too.
    const bodies = provider.messages().map((request) => jsonBody(request) as { to: string; template: { components: { parameters: { text?: string }[] }[] } });
    expect(bodies.find((body) => body.to === '491520001099')?.template.components[1]?.parameters[0]?.text).toBe('N1099');
    expect(bodies.every((body) => body.template.components[1]?.parameters[0]?.text === `N${Number(body.to.slice(-5))}`)).toBe(true);
  });

  it('pauses every send for Retry-After on 429 and 130429, and sends the throttled ones once', async () => {
    const times: number[] = [];
    const provider = await metaProvider((_to, index) => {
      times.push(Date.now());
      if (index === 1) return { status: 429, headers: { 'retry-after': '1' }, body: { error: { message: 'Too many requests', code: 4 } } };
      if (index === 3) return { status: 400, headers: { 'retry-after': '1' }, body: { error: { message: 'Rate limit hit', code: 130429 } } };
      return undefined;
    });
    const path = scratch.writeList(numbers(5).map((number) => `${number},N`));
    const result = await sendCampaign(options(provider, path, { concurrency: 1 }));
    expect(result.counts).toMatchObject({ accepted: 5, pending: 0 });
    expect([...provider.perRecipient().values()].reduce((sum, count) => sum + count, 0)).toBe(7);
    expect(result.requests).toBe(5);
    // The request after each throttle waited out its Retry-After.
    expect((times[2] ?? 0) - (times[1] ?? 0)).toBeGreaterThanOrEqual(950);
    expect((times[4] ?? 0) - (times[3] ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('keeps to the rate per sending number in every second the provider counts', async () => {
    const arrivals: number[] = [];
    const provider = await metaProvider(() => {
      arrivals.push(performance.now());
      return undefined;
    });
    const path = scratch.writeList(numbers(45).map((number) => `${number},N`));
    const result = await sendCampaign(options(provider, path, { ratePerSecond: 20 }));
    expect(result.counts.accepted).toBe(45);
    expect(provider.messages()).toHaveLength(45);
    // No window of one second, as the provider counts arrivals, holds more than 20.
    let busiest = 0;
    for (let start = 0, end = 0; end < arrivals.length; end++) {
      while ((arrivals[end] ?? 0) - (arrivals[start] ?? 0) >= 1000) start++;
      busiest = Math.max(busiest, end - start + 1);
    }
    expect(busiest).toBe(20);
  });

  it('waits out the pair rate (131056) for that recipient only, tries again, and fails it after the last try', async () => {
    const [slow, stuck] = numbers(2).map((number) => number.slice(1));
    const times = new Map<string, number[]>();
    const pairLimited = { status: 400, body: { error: { message: '(#131056) (Business Account, Consumer Account) pair rate limit hit', type: 'OAuthException', code: 131056 } } };
    const provider = await metaProvider((to) => {
      times.set(to, [...(times.get(to) ?? []), Date.now()]);
      const tries = times.get(to)?.length ?? 0;
      if (to === stuck || (to === slow && tries === 1)) return pairLimited;
      return undefined;
    });
    const path = scratch.writeList(numbers(6).map((number) => `${number},N`));
    const result = await sendCampaign(options(provider, path, { pacing: { pairDelayMs: 300, pairAttempts: 3 } }));
    expect(result.counts).toMatchObject({ accepted: 5, failed: 1, pending: 0, unknown: 0 });
    const counts = provider.perRecipient();
    expect(counts.get(slow ?? '')).toBe(2);
    expect(counts.get(stuck ?? '')).toBe(3);
    expect([...counts.values()].filter((count) => count === 1)).toHaveLength(4);
    // 300 ms, then 600 ms, before each new try of the same recipient.
    const [first = 0, second = 0, third = 0] = times.get(stuck ?? '') ?? [];
    expect(second - first).toBeGreaterThanOrEqual(290);
    expect(third - second).toBeGreaterThanOrEqual(590);
    const report = await readCampaignReport({ name: 'spring', dir: scratch.dir });
    expect(report.failures).toEqual([expect.objectContaining({ code: '131056', count: 1 })]);
  });

  it('sends a template with the video header through 360dialog and Gupshup, as each documents', async () => {
    const seen: { provider: string; path: string; auth: unknown; body: Record<string, unknown> }[] = [];
    const fake = await scratch.startProvider((request) => {
      if (request.path === '/media') return { status: 200, body: { id: 'd360-media' } };
      if (request.path === '/partner/app/app-7/media') return { status: 200, body: { status: 'success', mediaId: 'gs-media' } };
      const provider = request.path === '/messages' ? '360dialog' : 'gupshup';
      if (provider === 'gupshup') expect(request.path).toBe('/partner/app/app-7/v3/message');
      seen.push({ provider, path: request.path, auth: provider === '360dialog' ? request.headers['d360-api-key'] : request.headers.authorization, body: jsonBody(request) as Record<string, unknown> });
      return { status: 200, body: { messaging_product: 'whatsapp', contacts: [{ input: 'x', wa_id: 'x' }], messages: [{ id: `${provider}-${seen.length}` }] } };
    });
    const path = scratch.writeList(numbers(2).map((number, index) => `${number},Name${index}`));
    const common = { dir: scratch.dir, video: join(samplesDir, 'compliant.mp4'), recipients: path, baseUrl: fake.url, message: { kind: 'template' as const, template: 'spring_sale', language: 'en_US', parameterColumns: ['name'] } };
    const dialog = await sendCampaign({ ...common, name: 'd360', provider: '360dialog', env: { D360_API_KEY: 'd360-key' } });
    const gupshup = await sendCampaign({ ...common, name: 'gs', provider: 'gupshup', env: { GUPSHUP_APP_ID: 'app-7', GUPSHUP_APP_TOKEN: 'gs-token' } });
    expect(dialog.counts).toMatchObject({ accepted: 2 });
    expect(gupshup.counts).toMatchObject({ accepted: 2 });
    for (const [provider, auth, mediaId] of [['360dialog', 'd360-key', 'd360-media'], ['gupshup', 'gs-token', 'gs-media']] as const) {
      const sent = seen.filter((item) => item.provider === provider);
      expect(sent).toHaveLength(2);
      for (const [index, item] of sent.entries()) {
        expect(item.auth).toBe(auth);
        // The Meta template object, as both forward it to the Cloud API.
        expect(item.body).toMatchObject({
          messaging_product: 'whatsapp',
          to: numbers(2)[index]?.slice(1),
          type: 'template',
          template: {
            name: 'spring_sale',
            language: { policy: 'deterministic', code: 'en_US' },
            components: [
              { type: 'header', parameters: [{ type: 'video', video: { id: mediaId } }] },
              { type: 'body', parameters: [{ type: 'text', text: `Name${index}` }] },
            ],
          },
        });
      }
    }
  });

  it('stops at once on an account refusal (Kaleyra E110), leaving the rest pending', async () => {
    let index = 0;
    const fake = await scratch.startProvider((request) => {
      if (request.path === '/v2/SID1/whatsapp/+918630005920/media') return { status: 200, body: { data: { media_id: 'km-1' } } };
      const body = jsonBody(request) as { messaging_object: { to: string; template: { name: string } } };
      expect(request.path).toBe('/v2/SID1/whatsapp/+918630005920/messages');
      expect(request.headers['api-key']).toBe('secret-key-2');
      expect(body.messaging_object.to).toMatch(/^\+49/);
      expect(body.messaging_object.template.name).toBe('spring_sale');
      if (index++ === 2) return { status: 400, body: { code: 'E110', message: 'Please check your balance, You have a low balance!', data: {}, error: { balance: 'low' } } };
      return { status: 202, body: { code: 'WA202', message: 'Request Accepted', data: { message_id: `k-${index}` }, error: {} } };
    });
    const result = await sendCampaign({
      name: 'kaleyra',
      dir: scratch.dir,
      video: join(samplesDir, 'compliant.mp4'),
      recipients: scratch.writeList(numbers(6).map((number) => `${number},N`)),
      provider: 'kaleyra',
      message: { kind: 'template', template: 'spring_sale', language: 'en' },
      env: KALEYRA_ENV,
      baseUrl: fake.url,
      concurrency: 1,
    });
    expect(result.stopped).toMatchObject({ code: 'account-refused', providerCode: 'E110' });
    expect(result.counts).toMatchObject({ accepted: 2, pending: 4, failed: 0 });
    expect(fake.requests.filter((request) => request.path.endsWith('/messages'))).toHaveLength(3);
  });

  it('records a request with no answer in time as unknown, never resends it silently, and resends on request', async () => {
    const [a, b, c] = numbers(3);
    const slow = b?.slice(1);
    let slowAnswers = 0;
    const provider = await metaProvider((to) => (to === slow && slowAnswers++ === 0 ? { status: 200, delayMs: 2000, body: { messages: [{ id: 'late' }] } } : undefined));
    const path = scratch.writeList([`${a},Ana`, `${b},Bo`, `${c},Cy`]);
    const first = await sendCampaign(options(provider, path, { timeoutMs: 400 }));
    expect(first.counts).toMatchObject({ accepted: 2, unknown: 1 });
    const report = await readCampaignReport({ name: 'spring', dir: scratch.dir });
    expect(report.unknown).toEqual([{ masked: '+49•••••••0001', line: 3, code: 'timeout' }]);

    const again = await sendCampaign(options(provider, path));
    expect(again.requests).toBe(0);
    const resent = await sendCampaign(options(provider, path, { resendUnknown: true }));
    expect(resent.requeued).toBe(1);
    expect(resent.counts).toMatchObject({ accepted: 3, unknown: 0 });
    expect(provider.perRecipient().get(slow ?? '')).toBe(2);
  });

  it('refuses before any request: templates on Zixflow, a bad row, another video under the same name', async () => {
    const provider = await metaProvider();
    await expect(sendCampaign({ ...options(provider, scratch.writeList([`${numbers(1)[0]},Ana`])), provider: 'zixflow', env: { ZIXFLOW_API_KEY: 'k', ZIXFLOW_PHONE_ID: 'p' } })).rejects.toThrow(
      /zixflow sends plain video messages only/,
    );
    await expect(sendCampaign(options(provider, scratch.writeList([`${numbers(1)[0]},Ana`, '+49 151,Bo'])))).rejects.toMatchObject({ code: 'bad-recipients', details: { line: 3 } });
    await expect(sendCampaign(options(provider, scratch.writeList([`${numbers(1)[0]},`])))).rejects.toMatchObject({ code: 'bad-recipients', details: { line: 2 } });
    expect(provider.fake.requests).toHaveLength(0);
    await sendCampaign(options(provider, scratch.writeList([`${numbers(1)[0]},Ana`])));
    await expect(sendCampaign(options(provider, scratch.writeList([`${numbers(1)[0]},Ana`]), { video: join(samplesDir, 'violation-faststart.mp4') }))).rejects.toMatchObject({ code: 'settings-changed' });
  });

  it('uploads the video again when its media id expires within a day', async () => {
    const provider = await metaProvider();
    const [a, b] = numbers(2);
    const start = Date.parse('2026-01-01T00:00:00Z');
    const first = await sendCampaign(options(provider, scratch.writeList([`${a},Ana`]), { now: () => start }));
    expect(first.media?.expiresAt).toBe('2026-01-31T00:00:00.000Z');
    const later = await sendCampaign(options(provider, scratch.writeList([`${a},Ana`, `${b},Bo`]), { now: () => start + 29.5 * 86_400_000 }));
    expect(later.media).toMatchObject({ reused: false, expiresAt: '2026-03-01T12:00:00.000Z' });
    expect(provider.uploads()).toBe(2);
    expect(later.counts.accepted).toBe(2);
  });

  it('a dry run checks every row and builds the request without sending', async () => {
    const provider = await metaProvider();
    const result = await sendCampaign(options(provider, scratch.writeList(numbers(2).map((number) => `${number},N`)), { dryRun: true }));
    expect(provider.fake.requests).toHaveLength(0);
    expect(result.example).toMatchObject({ to: '49•••••••0000', type: 'template', template: { name: 'spring_sale' } });
  });
});
