import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidOptionError, prepare, prepareFolder, TranscodeError, type FolderItem, type PrepareFolderOptions, type ProgressEvent } from 'wavid';
import { startFakeProvider, type FakeProvider } from './support/fake-provider.js';
import { samplesDir } from './support/tools.js';

/** The library calls exactly as the README shows them. */
describe('prepare() right before sending one video', () => {
  let root: string;
  let fake: FakeProvider;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'wavid-prepare-'));
    for (const name of ['compliant.mp4', 'violation-faststart.mp4', 'violation-b-frames.mp4', 'bad-empty.mp4']) copyFileSync(join(samplesDir, name), join(root, name));
    fake = await startFakeProvider((request) => (request.path.endsWith('/media') ? { status: 200, body: { id: 'media-42' } } : { status: 404 }));
  });

  afterAll(async () => {
    await fake.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('copies a compliant file beside the input and says so', async () => {
    const result = await prepare(join(root, 'compliant.mp4'));
    expect(result).toMatchObject({ action: 'copy', output: join(root, 'compliant.whatsapp.mp4'), verdict: { ok: true }, before: { ok: true } });
    expect(existsSync(result.output)).toBe(true);
  });

  it('remuxes or transcodes what needs it, with progress events and the reasons', async () => {
    const events: ProgressEvent[] = [];
    const remuxed = await prepare(join(root, 'violation-faststart.mp4'), { output: join(root, 'out', 'a.mp4'), onProgress: (event) => events.push(event) });
    expect(remuxed.action).toBe('remux');
    expect(remuxed.before.violations.map((violation) => violation.code)).toEqual(['faststart']);
    expect(remuxed.reasons.join(' ')).toMatch(/moov box/);
    expect(events.map((event) => event.stage)).toContain('fix');
    const transcoded = await prepare(join(root, 'violation-b-frames.mp4'), { output: join(root, 'out', 'b.mp4'), maxSizeBytes: 2_000_000 });
    expect(transcoded).toMatchObject({ action: 'transcode', verdict: { ok: true, violations: [] } });
    expect(transcoded.outputFacts.video[0]?.bFrames).toBe(false);
  });

  it('uploads to the provider and returns the media id with its expiry', async () => {
    const result = await prepare(join(root, 'compliant.mp4'), {
      output: join(root, 'out', 'c.mp4'),
      destination: { kind: 'media-id', provider: 'meta', baseUrl: fake.url, credentials: { token: 'EAAG-library', phoneNumberId: '106540352242922' } },
    });
    expect(result.mediaId).toBe('media-42');
    expect(Date.parse(result.expiresAt ?? '')).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    expect(fake.requests.at(-1)?.headers.authorization).toBe('Bearer EAAG-library');
  });

  it('rejects an unreadable file with a typed error and writes nothing', async () => {
    const failure = prepare(join(root, 'bad-empty.mp4'), { output: join(root, 'out', 'empty.mp4') });
    await expect(failure).rejects.toBeInstanceOf(TranscodeError);
    await expect(failure).rejects.toMatchObject({ code: 'unreadable' });
    expect(existsSync(join(root, 'out', 'empty.mp4'))).toBe(false);
  });

  it('stops when its signal aborts and leaves no partial file', async () => {
    const controller = new AbortController();
    const running = prepare(join(root, 'violation-b-frames.mp4'), {
      output: join(root, 'cancelled', 'x.mp4'),
      signal: controller.signal,
      onProgress: (event) => {
        if (event.stage === 'fix') controller.abort();
      },
    });
    await expect(running).rejects.toMatchObject({ code: 'aborted' });
    expect(existsSync(join(root, 'cancelled')) ? readdirSync(join(root, 'cancelled')) : []).toEqual([]);
  });

  it('names the option that is wrong', async () => {
    await expect(prepare('')).rejects.toThrow(/input must be the path of a video file/);
    await expect(prepare(join(root, 'compliant.mp4'), { profile: 'telegram' as 'whatsapp' })).rejects.toThrow(/profile must be one of/);
    await expect(prepare(join(root, 'compliant.mp4'), { destination: { kind: 'link', bucket: '' } })).rejects.toThrow(/destination.bucket/);
  });

  it('throws the typed option error, naming the option, before any work', async () => {
    const calls: [string, Parameters<typeof prepare>[1]][] = [
      ['', {}],
      [join(root, 'compliant.mp4'), { profile: 'telegram' as 'whatsapp' }],
      [join(root, 'compliant.mp4'), { maxSizeBytes: -1 }],
      [join(root, 'compliant.mp4'), { destination: { kind: 'link', bucket: '' } }],
      [join(root, 'compliant.mp4'), { destination: { kind: 'email' } as unknown as { kind: 'link'; bucket: string } }],
      [join(root, 'compliant.mp4'), { output: join(root, 'never', 'x.mp4'), threads: -1 }],
    ];
    const failures = await Promise.all(calls.map(([input, options]) => prepare(input, options).then(() => null, (error: unknown) => error)));
    for (const failure of failures) expect(failure).toBeInstanceOf(InvalidOptionError);
    expect(failures.map((failure) => (failure as InvalidOptionError).option)).toEqual(['input', 'profile', 'maxSizeBytes', 'destination.bucket', 'destination.kind', 'threads']);
    expect(failures.map((failure) => (failure as InvalidOptionError).code)).toEqual(Array(calls.length).fill('invalid-option'));
    expect(existsSync(join(root, 'never'))).toBe(false);
  });
});

describe('prepareFolder() over a campaign folder', () => {
  let root: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'wavid-folder-'));
    mkdirSync(join(root, 'campaign', 'sub'), { recursive: true });
    copyFileSync(join(samplesDir, 'compliant.mp4'), join(root, 'campaign', 'one.mp4'));
    copyFileSync(join(samplesDir, 'violation-container.mkv'), join(root, 'campaign', 'sub', 'two.mkv'));
    copyFileSync(join(samplesDir, 'bad-text.mov'), join(root, 'campaign', 'three.mov'));
  });

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('yields every file as it completes, errors included', async () => {
    const items: FolderItem[] = [];
    for await (const item of prepareFolder(join(root, 'campaign'), { outDir: join(root, 'ready') })) items.push(item);
    const outcome = Object.fromEntries(items.map((item) => [item.input.slice(root.length + 1), item.ok ? item.result.action : item.error.code]));
    expect(outcome).toEqual({ 'campaign/one.mp4': 'copy', 'campaign/sub/two.mkv': 'remux', 'campaign/three.mov': 'unreadable' });
    expect(existsSync(join(root, 'ready', 'sub', 'two.mp4'))).toBe(true);
  });

  it('refuses an output folder inside the input folder', async () => {
    const iterator = prepareFolder(join(root, 'campaign'), { outDir: join(root, 'campaign', 'out') });
    await expect(iterator.next()).rejects.toThrow(/inside/);
  });

  it('throws the typed option error for a bad option, naming it', async () => {
    const bad: [PrepareFolderOptions, string][] = [
      [{ outDir: join(root, 'campaign', 'out') }, 'outDir'],
      [{ outDir: '' }, 'outDir'],
      [{ outDir: join(root, 'elsewhere'), concurrency: 0 }, 'concurrency'],
    ];
    for (const [options, option] of bad) {
      const failure = await prepareFolder(join(root, 'campaign'), options).next().then(() => null, (error: unknown) => error);
      expect(failure).toBeInstanceOf(InvalidOptionError);
      expect(failure).toMatchObject({ option, code: 'invalid-option' });
    }
    expect(existsSync(join(root, 'elsewhere'))).toBe(false);
  });
});
