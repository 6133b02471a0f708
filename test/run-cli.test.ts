import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { checkCompliance, probe, PROFILES } from '@wavid/probe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProvider, type FakeProvider } from './support/fake-provider.js';
import { makeCampaign } from './support/campaign-folder.js';
import { describeWithS3 } from './support/s3-suite.js';
import { cliPath, ffmpeg, repoRoot, runCli, samplesDir } from './support/tools.js';

interface Entry {
  input: string;
  sha256: string;
  action: string | null;
  output: string | null;
  outputSizeBytes: number | null;
  before: { ok: boolean; violations: { code: string }[] } | null;
  after: { ok: boolean } | null;
  delivery: { kind: string; link: string | null; mediaId: string | null; expiresAt: string | null } | null;
  error: { code: string; message: string } | null;
}
interface RunDocument {
  files: (Entry & { ok: boolean; outcome: string })[];
  summary: { files: number; ready: number; failed: number; skipped: number };
  manifest: string;
  report: string;
}

const document = (stdout: string) => JSON.parse(stdout) as RunDocument;
const byInput = (files: RunDocument['files']) => Object.fromEntries(files.map((file) => [file.input, file]));

describe('wavid run', () => {
  let root: string;
  let folder: string;
  let out: string;
  let first: RunDocument;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'wavid-run-'));
    folder = makeCampaign(root);
    out = join(root, 'ready');
    const run = await runCli(['run', folder, '--out', out, '--format', 'json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    first = document(run.stdout);
  }, 120_000);

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('copies, remuxes or transcodes each video as little as it needs, and reports the broken one', () => {
    const files = byInput(first.files);
    expect(Object.fromEntries(first.files.map((file) => [file.input, file.action]))).toEqual({
      'empty.mp4': null,
      'moov-at-end.mp4': 'remux',
      'ready.mp4': 'copy',
      'week 2/b-frames.mp4': 'transcode',
      'week 2/teaser.mkv': 'remux',
    });
    expect(files['empty.mp4']?.error?.code).toBe('unreadable');
    expect(first.summary).toMatchObject({ files: 5, ready: 4, failed: 1 });
  });

  it('writes outputs that comply, with the folder layout', async () => {
    const outputs = first.files.filter((file) => file.ok).map((file) => file.output ?? '');
    expect(outputs.sort()).toEqual(['moov-at-end.mp4', 'ready.mp4', 'week 2/b-frames.mp4', 'week 2/teaser.mp4']);
    for (const output of outputs) {
      const facts = await probe(join(out, output));
      expect(checkCompliance(facts, PROFILES.whatsapp).violations).toEqual([]);
    }
    expect(readdirSync(out).filter((name) => name.includes('partial'))).toEqual([]);
  });

  it('keeps a manifest in JSON and CSV with a record per input', () => {
    const manifest = JSON.parse(readFileSync(join(out, 'wavid-manifest.json'), 'utf8')) as { settings: { profile: string; maxSizeBytes: number }; entries: Entry[] };
    expect(manifest.settings).toMatchObject({ profile: 'whatsapp', maxSizeBytes: 16_000_000, h264Profile: 'main' });
    expect(manifest.entries).toHaveLength(5);
    const teaser = manifest.entries.find((entry) => entry.input === 'week 2/teaser.mkv');
    expect(teaser).toMatchObject({ action: 'remux', output: 'week 2/teaser.mp4', before: { ok: false, violations: [{ code: 'container' }] }, after: { ok: true }, error: null });
    expect(teaser?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(teaser?.outputSizeBytes).toBe(statSync(join(out, 'week 2', 'teaser.mp4')).size);
    const csv = readFileSync(join(out, 'wavid-manifest.csv'), 'utf8').trim().split('\r\n');
    expect(csv[0]).toBe('input,sha256,size_bytes,action,output,output_size_bytes,attempts,before,after,link,media_id,expires_at,error_code,error_message,completed_at');
    expect(csv).toHaveLength(6);
    expect(csv.find((row) => row.startsWith('empty.mp4,'))).toContain(',unreadable,The file is empty (0 bytes).,');
  });

  it('writes a self-contained report with a card per video', () => {
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html.match(/<article /g)).toHaveLength(5);
    expect(html.match(/src="data:image\/jpeg;base64,/g)).toHaveLength(4);
    expect(html).not.toMatch(/(src|href)="(?!data:)/);
  });

  it('skips everything unchanged on a second run, and redoes only what changed', async () => {
    const mtimes = () => first.files.filter((file) => file.output).map((file) => statSync(join(out, file.output ?? '')).mtimeMs);
    const before = mtimes();
    const again = document((await runCli(['run', folder, '--out', out, '--format', 'json'])).stdout);
    expect(again.files.map((file) => file.outcome)).toEqual(['skipped', 'skipped', 'skipped', 'skipped', 'skipped']);
    expect(mtimes()).toEqual(before);

    copyFileSync(join(samplesDir, 'violation-audio-codec.mp4'), join(folder, 'ready.mp4'));
    const changed = document((await runCli(['run', folder, '--out', out, '--format', 'json'])).stdout);
    expect(byInput(changed.files)['ready.mp4']).toMatchObject({ outcome: 'done', action: 'remux' });
    expect(changed.files.filter((file) => file.outcome === 'skipped')).toHaveLength(4);
  });

  it('makes again an output that was replaced, even by one of the same size', async () => {
    const output = join(out, 'moov-at-end.mp4');
    writeFileSync(output, Buffer.alloc(statSync(output).size));
    const again = document((await runCli(['run', folder, '--out', out, '--format', 'json'])).stdout);
    expect(byInput(again.files)['moov-at-end.mp4']).toMatchObject({ outcome: 'done', ok: true });
    expect((await probe(output)).problem).toBeNull();
  });

  it('redoes everything under another profile', async () => {
    const status = document((await runCli(['run', folder, '--out', out, '--profile', 'whatsapp-status', '--format', 'json'])).stdout);
    expect(status.files.map((file) => file.outcome)).toEqual(['failed', 'done', 'done', 'done', 'done']);
  });

  it('prints a line per video, a table and where the manifest and report are', async () => {
    await runCli(['run', folder, '--out', out]);
    const run = await runCli(['run', folder, '--out', out]);
    expect(run.stdout).toMatch(/^\[\d\/5\] ok {4}moov-at-end\.mp4 -> moov-at-end\.mp4 {2}up to date/m);
    expect(run.stdout).toMatch(/^video +status +action +problems before +size +delivered \/ error$/m);
    expect(run.stdout).toContain('5 videos: 4 ready');
    expect(run.stdout).toContain(`Report:   ${join(out, 'report.html')}`);
  });

  it.each([
    [['run'], /run needs a folder/],
    [['run', 'samples'], /run needs --out/],
    [['run', 'samples', '--out', 'samples/out'], /inside samples/],
    [['run', 'samples', 'test', '--out', 'x'], /run takes one folder/],
    [['run', 'samples', '--out', 'x', '--bucket', 'b', '--provider', 'meta'], /not both/],
    [['run', 'samples', '--out', 'x', '--provider', 'zixflow'], /zixflow takes links only/],
    [['run', 'samples', '--out', 'x', '--provider', 'meta'], /WHATSAPP_TOKEN/],
    [['run', 'samples', '--out', 'x', '--provider', 'meta', '--expires', '2d'], /--expires shapes links/],
    [['run', 'samples', '--out', 'x', '--provider', 'meta', '--queue', 'redis://127.0.0.1:1', '--bucket', 'b', '--prefix', 'p'], /--prefix shapes links/],
  ])('exits 2 with one line for %j', async (args, message) => {
    const run = await runCli(args, { env: { WHATSAPP_TOKEN: '', WHATSAPP_PHONE_NUMBER_ID: '' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(repoRoot, 'x'))).toBe(false);
  });
});

describe('wavid run, stopped halfway and started again', () => {
  let root: string;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'wavid-resume-'));
    const folder = join(root, 'campaign');
    mkdirSync(folder);
    // Clips that each need a transcode of a few seconds, so the stop lands while one is being encoded.
    await Promise.all(
      ['a', 'b', 'c', 'd'].map((name) =>
        ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=30:duration=6', '-c:v', 'libx264', '-preset', 'ultrafast', '-profile:v', 'high', '-bf', '2', join(folder, `${name}.mp4`)]),
      ),
    );
  }, 120_000);

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('loses nothing that finished, leaves no partial file, and finishes the rest without redoing', async () => {
    const folder = join(root, 'campaign');
    const out = join(root, 'out');
    const child = spawn(process.execPath, [cliPath, 'run', folder, '--out', out, '--concurrency', '1'], { stdio: 'ignore' });
    const manifestPath = join(out, 'wavid-manifest.json');
    const finishedBeforeStop = await new Promise<number>((resolve) => {
      const poll = setInterval(() => {
        const entries = existsSync(manifestPath) ? (JSON.parse(readFileSync(manifestPath, 'utf8')) as { entries: unknown[] }).entries.length : 0;
        if (entries >= 1) {
          clearInterval(poll);
          child.kill('SIGTERM');
          resolve(entries);
        }
      }, 50);
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(130);
    const listing = readdirSync(out, { recursive: true }).map(String);
    expect(listing.filter((name) => name.includes('partial') || name.endsWith('.tmp'))).toEqual([]);
    const stopped = JSON.parse(readFileSync(manifestPath, 'utf8')) as { entries: Entry[] };
    expect(stopped.entries.length).toBeGreaterThanOrEqual(finishedBeforeStop);
    expect(stopped.entries.length).toBeLessThan(4);

    const resumed = document((await runCli(['run', folder, '--out', out, '--format', 'json'])).stdout);
    expect(resumed.summary).toMatchObject({ files: 4, ready: 4, failed: 0 });
    const outcomes = byInput(resumed.files);
    for (const entry of stopped.entries) expect(outcomes[entry.input]?.outcome).toBe('skipped');
    expect(resumed.files.filter((file) => file.outcome === 'done')).toHaveLength(4 - stopped.entries.length);
  });

  it('removes what a killed run left half-written', async () => {
    const folder = join(root, 'campaign');
    const out = join(root, 'killed');
    const child = spawn(process.execPath, [cliPath, 'run', folder, '--out', out, '--concurrency', '1'], { stdio: 'ignore' });
    const partial = await new Promise<string>((resolve) => {
      const poll = setInterval(() => {
        const found = existsSync(out) ? readdirSync(out).find((name) => name.endsWith('.partial.mp4')) : undefined;
        if (found) {
          clearInterval(poll);
          child.kill('SIGKILL');
          resolve(found);
        }
      }, 20);
    });
    await new Promise((resolve) => child.on('close', resolve));
    expect(existsSync(join(out, partial))).toBe(true);
    const resumed = await runCli(['run', folder, '--out', out, '--format', 'json']);
    expect(document(resumed.stdout).summary).toMatchObject({ files: 4, ready: 4 });
    expect(readdirSync(out, { recursive: true }).map(String).filter((name) => name.includes('.partial.'))).toEqual([]);
  });

  it('does not take outputs made under other settings as done when a run with new settings was stopped', async () => {
    const folder = join(root, 'campaign');
    const out = join(root, 'out');
    // The outputs above use most of 16 MB; a stopped run with a 1 MB cap must not leave them passing as done.
    const child = spawn(process.execPath, [cliPath, 'run', folder, '--out', out, '--max-size', '1MB', '--concurrency', '1'], { stdio: 'ignore' });
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        const entries = (JSON.parse(readFileSync(join(out, 'wavid-manifest.json'), 'utf8')) as { entries: Entry[] & { settings: { maxSizeBytes: number } }[] }).entries;
        if (entries.some((entry) => (entry as unknown as { settings: { maxSizeBytes: number } }).settings.maxSizeBytes === 1_000_000)) {
          clearInterval(poll);
          child.kill('SIGINT');
          resolve();
        }
      }, 50);
    });
    await new Promise((resolve) => child.on('close', resolve));
    const finished = document((await runCli(['run', folder, '--out', out, '--max-size', '1MB', '--format', 'json'])).stdout);
    expect(finished.summary).toMatchObject({ files: 4, ready: 4 });
    for (const file of finished.files) expect(file.outputSizeBytes ?? Infinity).toBeLessThanOrEqual(1_000_000);
  });
});

describeWithS3('wavid run publishing to a bucket', (s3) => {
  // Links must answer as Meta's fetcher needs: 200 without a redirect, the video's type, its length.
  let root: string;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'wavid-run-s3-'));
    const server = s3();
    const client = new S3Client({ endpoint: server.endpoint, region: server.region, forcePathStyle: true, credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey } });
    await client.send(new CreateBucketCommand({ Bucket: 'campaign' }));
    client.destroy();
  });

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('records a link per video that downloads as the video it is', async () => {
    const server = s3();
    const folder = join(root, 'in');
    mkdirSync(folder);
    copyFileSync(join(samplesDir, 'violation-faststart.mp4'), join(folder, 'one.mp4'));
    copyFileSync(join(samplesDir, 'compliant-baseline.3gp'), join(folder, 'two.3gp'));
    const env = {
      AWS_ACCESS_KEY_ID: server.accessKeyId,
      AWS_SECRET_ACCESS_KEY: server.secretAccessKey,
      AWS_REGION: server.region,
      AWS_CONFIG_FILE: join(root, 'no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(root, 'no-aws-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    const run = await runCli(['run', folder, '--out', join(root, 'out'), '--bucket', 'campaign', '--prefix', 'spring', '--endpoint', server.endpoint, '--expires', '2d', '--format', 'json'], { env });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const files = document(run.stdout).files;
    expect(files).toHaveLength(2);
    for (const file of files) {
      expect(file.delivery?.kind).toBe('link');
      const expiresAt = Date.parse(file.delivery?.expiresAt ?? '');
      expect(expiresAt - Date.now()).toBeGreaterThan(47 * 3600 * 1000);
      const answer = await fetch(file.delivery?.link ?? '', { redirect: 'manual' });
      expect(answer.status).toBe(200);
      // The 3GP input already complies, so its bytes are copied and it is served as 3GP.
      expect(answer.headers.get('content-type')).toBe(file.input.endsWith('.3gp') ? 'video/3gpp' : 'video/mp4');
      expect(Number(answer.headers.get('content-length'))).toBe(file.outputSizeBytes);
    }
    expect(run.stdout).not.toContain(server.secretAccessKey);
    const again = document((await runCli(['run', folder, '--out', join(root, 'out'), '--bucket', 'campaign', '--prefix', 'spring', '--endpoint', server.endpoint, '--format', 'json'], { env })).stdout);
    expect(again.files.map((file) => file.outcome)).toEqual(['skipped', 'skipped']);
  });
});

describeWithS3('wavid run on inputs in a bucket', (s3) => {
  let root: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'wavid-run-from-s3-'));
    const server = s3();
    env = { AWS_ACCESS_KEY_ID: server.accessKeyId, AWS_SECRET_ACCESS_KEY: server.secretAccessKey, AWS_REGION: server.region, AWS_ENDPOINT_URL_S3: server.endpoint };
    const client = new S3Client({ endpoint: server.endpoint, region: server.region, forcePathStyle: true, credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey } });
    await client.send(new CreateBucketCommand({ Bucket: 'inbox' }));
    const objects: [string, string][] = [
      ['campaign/ready.mp4', 'compliant.mp4'],
      ['campaign/week 2/teaser.mkv', 'violation-container.mkv'],
      ['campaign/red\u001b[31m.mp4', 'violation-faststart.mp4'],
      // Names that would lead out of the output folder: passed over, never written.
      ['campaign//twice.mp4', 'compliant.mp4'],
      ['campaign/back\\slash.mp4', 'compliant.mp4'],
      ['campaign/notes.txt', 'compliant.mp4'],
      ['elsewhere/other.mp4', 'compliant.mp4'],
      ['failing/broken.mp4', 'bad-random.mp4'],
    ];
    for (const [key, sample] of objects) await client.send(new PutObjectCommand({ Bucket: 'inbox', Key: key, Body: readFileSync(join(samplesDir, sample)) }));
    client.destroy();
  });

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('works on the video objects below the prefix, passes over unsafe keys with an escaped line, and writes nothing outside --out', async () => {
    const out = join(root, 'out');
    const run = await runCli(['run', 's3://inbox/campaign', '--out', out, '--format', 'json'], { env });
    expect(run.code).toBe(0);
    const files = document(run.stdout).files;
    expect(files.map((file) => [file.input, file.action, file.output])).toEqual([
      ['ready.mp4', 'copy', 'ready.mp4'],
      ['red\u001b[31m.mp4', 'remux', 'red\u001b[31m.mp4'],
      ['week 2/teaser.mkv', 'remux', 'week 2/teaser.mp4'],
    ]);
    const sha256Of = (sample: string) => createHash('sha256').update(readFileSync(join(samplesDir, sample))).digest('hex');
    expect(files.map((file) => file.sha256)).toEqual([sha256Of('compliant.mp4'), sha256Of('violation-faststart.mp4'), sha256Of('violation-container.mkv')]);
    expect(readdirSync(out, { recursive: true }).map(String).filter((name) => name.endsWith('.mp4')).sort()).toEqual(['ready.mp4', 'red\u001b[31m.mp4', 'week 2/teaser.mp4']);
    expect(run.stderr).toContain('passed over s3://inbox/campaign//twice.mp4');
    expect(run.stderr).toContain('passed over s3://inbox/campaign/back\\slash.mp4');
    expect(run.stderr).toMatch(/\[unsafe-key\]/);
    expect(run.stderr).not.toContain('\u001b');
    expect(readdirSync(root)).toEqual(['out']);
    const again = await runCli(['run', 's3://inbox/campaign', '--out', out], { env });
    expect(again.stdout).toContain('red\\x1b[31m.mp4');
    expect(again.stdout).not.toContain('\u001b[31m');
    expect(again.stdout).toMatch(/3 videos: 3 ready/);
  });

  it('looks at no local file for an input that fails: its s3:// path does not name ./s3:/bucket/key', async () => {
    const cwd = join(root, 'cwd');
    // A file where the input's URL would lead as a relative path: a compliant video the run must not look at.
    mkdirSync(join(cwd, 's3:', 'inbox', 'failing'), { recursive: true });
    copyFileSync(join(samplesDir, 'compliant.mp4'), join(cwd, 's3:', 'inbox', 'failing', 'broken.mp4'));
    const run = await runCli(['run', 's3://inbox/failing', '--out', 'out', '--format', 'json'], { env, cwd });
    expect(run.code).toBe(1);
    const files = document(run.stdout).files;
    expect(files.map((file) => [file.input, file.error?.code, file.before])).toEqual([['broken.mp4', 'unreadable', null]]);
    const thumbnails = join(cwd, 'out', '.wavid', 'thumbnails');
    expect(existsSync(thumbnails) ? readdirSync(thumbnails) : []).toEqual([]);
  });

  it.each([
    [['run', 's3://inbox/campaign', '--out', 's3://inbox/ready'], /--out s3:\/\/\.\.\. needs --queue/],
    // Overlapping prefixes either way: outputs would be listed as inputs next run, or copied onto them.
    [['run', 's3://inbox/campaign', '--out', 's3://inbox/campaign/ready', '--queue', 'redis://127.0.0.1:9'], /--out s3:\/\/inbox\/campaign\/ready and s3:\/\/inbox\/campaign overlap/],
    [['run', 's3://inbox/media/in', '--out', 's3://inbox/media', '--queue', 'redis://127.0.0.1:9'], /--out s3:\/\/inbox\/media and s3:\/\/inbox\/media\/in overlap/],
    [['run', 's3://inbox/campaign', '--out', 's3://inbox', '--queue', 'redis://127.0.0.1:9'], /overlap/],
    // The prefix the workers' files travel through is neither an output nor an input location.
    [['run', 's3://inbox/campaign', '--out', 's3://inbox/wavid/ready', '--queue', 'redis://127.0.0.1:9'], /--out s3:\/\/inbox\/wavid\/ready overlaps s3:\/\/inbox\/wavid, where files travel/],
    [['run', 's3://inbox/wavid/outputs', '--out', 'x', '--queue', 'redis://127.0.0.1:9'], /<folder> s3:\/\/inbox\/wavid\/outputs is inside s3:\/\/inbox\/wavid, where files travel/],
    // Links published inside the input location would be read as inputs next run.
    [['run', 's3://inbox', '--out', 'x', '--bucket', 'inbox'], /links would be published to s3:\/\/inbox\/, inside s3:\/\/inbox/],
    [['run', 's3://inbox/campaign', '--out', 'x', '--bucket', 'inbox', '--prefix', 'campaign/links'], /links would be published to s3:\/\/inbox\/campaign\/links, inside/],
    [['run', 's3://inbox/a/../b', '--out', 'x'], /<folder> has a prefix with an empty, '\.' or '\.\.' part/],
    [['run', 's3://In_box/campaign', '--out', 'x'], /<folder> must be s3:\/\/<bucket>\/<prefix>/],
  ])('exits 2 with one line for %j', async (args, message) => {
    const run = await runCli(args, { env });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('wavid run uploading to a provider', () => {
  let fake: FakeProvider;
  let root: string;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'wavid-run-media-'));
    let next = 0;
    fake = await startFakeProvider((request) => (request.path === '/v23.0/106540352242922/media' ? { status: 200, body: { id: `media-${++next}` } } : { status: 404, body: {} }));
  });

  afterAll(async () => {
    await fake.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('keeps the fixed output when the upload fails, and only uploads on the next run', async () => {
    const folder = join(root, 'flaky');
    mkdirSync(folder);
    copyFileSync(join(samplesDir, 'violation-b-frames.mp4'), join(folder, 'clip.mp4'));
    const env = { WHATSAPP_TOKEN: 'EAAG-run-secret', WHATSAPP_PHONE_NUMBER_ID: '106540352242922' };
    const refusing = await startFakeProvider(() => ({ status: 500, body: { error: { message: 'try later', code: 1 } } }));
    const first = await runCli(['run', folder, '--out', join(root, 'flaky-out'), '--provider', 'meta', '--base-url', refusing.url, '--format', 'json'], { env });
    await refusing.close();
    expect(first.code).toBe(1);
    const [failed] = document(first.stdout).files;
    expect(failed).toMatchObject({ ok: false, outcome: 'failed', action: 'transcode', after: { ok: true }, delivery: null });
    expect((failed as unknown as { deliveryError: { code: string } }).deliveryError.code).toBe('server-error');
    const output = join(root, 'flaky-out', 'clip.mp4');
    const written = statSync(output).mtimeMs;

    const second = await runCli(['run', folder, '--out', join(root, 'flaky-out'), '--provider', 'meta', '--base-url', fake.url, '--format', 'json'], { env });
    expect(second.code).toBe(0);
    const [renewed] = document(second.stdout).files;
    expect(renewed).toMatchObject({ ok: true, outcome: 'renewed', action: 'transcode', delivery: { kind: 'media-id' } });
    expect(statSync(output).mtimeMs).toBe(written);
  });

  it('records the media id and its 30-day expiry, and keeps the token out of the output', async () => {
    const folder = join(root, 'in');
    mkdirSync(folder);
    copyFileSync(join(samplesDir, 'compliant.mp4'), join(folder, 'clip.mp4'));
    writeFileSync(join(folder, 'notes.txt'), 'not a video');
    const env = { WHATSAPP_TOKEN: 'EAAG-run-secret', WHATSAPP_PHONE_NUMBER_ID: '106540352242922' };
    const run = await runCli(['run', folder, '--out', join(root, 'out'), '--provider', 'meta', '--base-url', fake.url, '--format', 'json'], { env });
    expect(run.code).toBe(0);
    const [file] = document(run.stdout).files;
    expect(file?.delivery).toMatchObject({ kind: 'media-id', mediaId: expect.stringMatching(/^media-\d+$/) as unknown, link: null });
    const days = (Date.parse(file?.delivery?.expiresAt ?? '') - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(fake.requests.at(-1)?.headers.authorization).toBe('Bearer EAAG-run-secret');
    expect(`${run.stdout}${run.stderr}${readFileSync(join(root, 'out', 'wavid-manifest.json'), 'utf8')}`).not.toContain('EAAG-run-secret');
  });
});
