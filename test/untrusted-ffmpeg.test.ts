import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { runCli, samplesDir } from './support/tools.js';

interface RunFile {
  input: string;
  sha256: string;
  action: string | null;
  error: { code: string } | null;
}

const runFiles = (stdout: string) => (JSON.parse(stdout) as { files: RunFile[] }).files;

/** The report card of one input: from its heading to the end of its article. */
function reportCard(html: string, input: string): string {
  const cards = html.split('<article').filter((card) => card.includes(`<h2>${input}</h2>`));
  expect(cards).toHaveLength(1);
  return cards[0] ?? '';
}

describe('a text file named .mp4 that is an HLS playlist of a private video', () => {
  let root: string;
  let html: string;
  let files: RunFile[];
  let out: string;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'wavid-hls-'));
    const secret = join(root, 'private', 'secret.mp4');
    mkdirSync(join(root, 'private'));
    copyFileSync(join(samplesDir, 'compliant.mp4'), secret);
    const folder = join(root, 'uploads');
    mkdirSync(folder);
    writeFileSync(join(folder, 'playlist.mp4'), `#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:10\n#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:10.0,\n${secret}\n#EXT-X-ENDLIST\n`);
    out = join(root, 'out');
    const run = await runCli(['run', folder, '--out', out, '--format', 'json']);
    expect(run.code).toBe(1);
    files = runFiles(run.stdout);
    html = readFileSync(join(out, 'report.html'), 'utf8');
  }, 120_000);

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('is unreadable, and nothing is decoded from it: no thumbnail, a placeholder in the report', () => {
    const file = files.find((candidate) => candidate.input === 'playlist.mp4');
    expect(file?.error?.code).toBe('unreadable');
    expect(existsSync(join(out, '.wavid', 'thumbnails', `${file?.sha256 ?? ''}.jpg`))).toBe(false);
    const card = reportCard(html, 'playlist.mp4');
    expect(card).not.toContain('<img');
    expect(card).toContain('no picture');
  });
});

/**
 * A loopback listener that records every connection and what was sent on it, answering like an HTTP
 * server. Plain TCP: ffmpeg's request for `http:host:port?x` has no leading slash, which Node's own
 * HTTP server would drop before any handler saw it.
 */
async function startListener(): Promise<{ address: string; received: string[]; server: Server }> {
  const received: string[] = [];
  const server = createServer((socket) => {
    const index = received.push('') - 1;
    socket.on('data', (chunk: Buffer) => {
      received[index] = `${received[index] ?? ''}${chunk.toString('latin1')}`;
      socket.end('HTTP/1.1 200 OK\r\ncontent-type: application/vnd.apple.mpegurl\r\ncontent-length: 8\r\n\r\n#EXTM3U\n');
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { address: `127.0.0.1:${(server.address() as AddressInfo).port}`, received, server };
}

describe('files named like URLs, in a folder given as `.`', () => {
  let root: string;
  let listener: Awaited<ReturnType<typeof startListener>>;
  let folder: string;
  let names: { text: string; video: string; mkv: string };

  beforeAll(async () => {
    listener = await startListener();
    const address = listener.address;
    root = mkdtempSync(join(tmpdir(), 'wavid-url-names-'));
    folder = join(root, 'uploads');
    mkdirSync(folder);
    names = { text: `http:${address}?x.mp4`, video: `http:${address}?y.mp4`, mkv: `http:${address}?z.mkv` };
    writeFileSync(join(folder, names.text), 'not a video\n');
    copyFileSync(join(samplesDir, 'compliant.mp4'), join(folder, names.video));
    copyFileSync(join(samplesDir, 'violation-container.mkv'), join(folder, names.mkv));
  }, 120_000);

  afterAll(async () => {
    await new Promise((resolve) => listener.server.close(resolve));
    rmSync(root, { recursive: true, force: true });
  });

  it('wavid run reads them as files: the loopback server named in them receives no request', async () => {
    const run = await runCli(['run', '.', '--out', '../out', '--format', 'json'], { cwd: folder });
    expect(run.code).toBe(1);
    const byName = Object.fromEntries(runFiles(run.stdout).map((file) => [file.input, file]));
    expect(byName[names.text]?.error?.code).toBe('unreadable');
    expect(byName[names.video]?.action).toBe('copy');
    expect(byName[names.mkv]?.action).toBe('remux');
    const html = readFileSync(join(root, 'out', 'report.html'), 'utf8');
    expect(reportCard(html, names.video)).toContain('<img');
    expect(reportCard(html, names.text)).not.toContain('<img');
    expect(listener.received).toEqual([]);
  });

  it('wavid check reads them as files too', async () => {
    listener.received.length = 0;
    const run = await runCli(['check', names.text, names.video, names.mkv, '--format', 'json'], { cwd: folder });
    expect(run.code).toBe(1);
    expect(listener.received).toEqual([]);
  });
});
