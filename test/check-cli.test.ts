import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, samplesDir } from './support/tools.js';

interface CheckDocument {
  profile: string;
  files: { path: string; ok: boolean; violations: { code: string; message: string }[]; warnings: { code: string; message: string }[]; facts: { sizeBytes: number } }[];
  summary: { files: number; ok: number; failed: number };
}

describe('wavid check', () => {
  it('passes a compliant file with exit 0 and a readable line', async () => {
    const run = await runCli(['check', 'samples/compliant.mp4']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ok +samples\/compliant\.mp4 {2}MP4, H\.264 Main 320x240 25fps, AAC LC, 32\.5 KB$/m);
    expect(run.stdout).toMatch(/^1 file checked: 1 ok, 0 failed$/m);
  });

  it('fails a folder with any non-compliant file, one line per file', async () => {
    const run = await runCli(['check', 'samples']);
    expect(run.code).toBe(1);
    // Audio-only .m4a files are not picked up from folders: they are not videos.
    const media = readdirSync(samplesDir).filter((name) => !/\.(sh|mjs|m4a)$/.test(name));
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(media.length + 1);
    expect(run.stdout).toContain('FAIL  samples/violation-faststart.mp4  [faststart] The moov box comes after the media data');
    expect(run.stderr).toBe('');
  });

  it('prints one JSON document and nothing else with --format json', async () => {
    const run = await runCli(['check', '--format', 'json', 'samples']);
    expect(run.code).toBe(1);
    const document = JSON.parse(run.stdout) as CheckDocument;
    expect(document.profile).toBe('whatsapp');
    expect(document.summary.files).toBe(document.files.length);
    expect(document.summary.ok + document.summary.failed).toBe(document.files.length);
    expect(document.summary.ok).toBe(document.files.filter((file) => file.ok).length);
    const faststart = document.files.find((file) => file.path === 'samples/violation-faststart.mp4');
    expect(faststart).toMatchObject({ ok: false, violations: [{ code: 'faststart' }] });
    expect(Object.keys(faststart ?? {})).toEqual(['path', 'ok', 'violations', 'warnings', 'facts']);
    expect(faststart?.facts.sizeBytes).toBeGreaterThan(0);
    const empty = document.files.find((file) => file.path === 'samples/bad-empty.mp4');
    expect(empty?.violations).toEqual([{ code: 'unreadable', message: 'The file is empty (0 bytes).' }]);
  });

  it('writes JUnit XML with one testcase per file and failures for the rest', async () => {
    const run = await runCli(['check', '--format', 'junit', 'samples/compliant.mp4', 'samples/violation-b-frames.mp4', 'samples/bad-random.mp4']);
    expect(run.code).toBe(1);
    expect(run.stdout.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(run.stdout).toContain('<testsuites name="wavid check" tests="3" failures="2">');
    expect(run.stdout.match(/<testcase /g)).toHaveLength(3);
    expect(run.stdout.match(/<failure /g)).toHaveLength(2);
    expect(run.stdout).toContain('<failure type="b-frames" message="b-frames: Video has B-frames');
  });

  it('prints GitHub annotations on the failing files', async () => {
    const run = await runCli(['check', '--format', 'github', 'samples/violation-faststart.mp4', 'samples/warn-rotated.mp4']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('::error file=samples/violation-faststart.mp4,title=WhatsApp video%3A faststart::The moov box comes after');
    expect(run.stdout).toContain('::warning file=samples/warn-rotated.mp4,title=WhatsApp video%3A rotation::');
  });

  it('applies the status profile and --max-size', async () => {
    const status = await runCli(['check', '--profile', 'whatsapp-status', '--format', 'json', 'samples/compliant.mp4']);
    expect((JSON.parse(status.stdout) as CheckDocument).profile).toBe('whatsapp-status');
    const capped = await runCli(['check', '--max-size', '20KB', '--format', 'json', 'samples/compliant.mp4']);
    expect(capped.code).toBe(1);
    const [file] = (JSON.parse(capped.stdout) as CheckDocument).files;
    expect(file?.violations.map((violation) => violation.code)).toEqual(['size']);
    expect(file?.violations[0]?.message).toContain('over the 20.0 KB limit (20,000 bytes)');
  });

  it.each([
    [['check'], /at least one file or folder/],
    [['check', '--bogus', 'samples'], /Unknown option '--bogus'/],
    [['check', 'no-such-file.mp4'], /no such file or folder: no-such-file\.mp4/],
    [['check', '--format', 'xml', 'samples'], /--format must be one of text, json, junit, github/],
    [['check', '--max-size', 'lots', 'samples'], /--max-size takes a size/],
    [['check', '--profile', 'telegram', 'samples'], /profile must be one of whatsapp, whatsapp-status/],
    [['check', '--concurrency', '0', 'samples'], /--concurrency takes a whole number/],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ])('exits 2 with one line for %j', async (args, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('documents every option in --help', async () => {
    const run = await runCli(['check', '--help']);
    expect(run.code).toBe(0);
    for (const option of ['--profile', '--max-size', '--format', '--concurrency', 'junit', 'github', 'whatsapp-status']) expect(run.stdout).toContain(option);
  });
});

describe('wavid check on a folder', () => {
  let folder: string;

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'wavid-check-'));
    mkdirSync(join(folder, 'campaign', 'week 1'), { recursive: true });
    mkdirSync(join(folder, 'node_modules', 'pkg'), { recursive: true });
    mkdirSync(join(folder, '.cache'));
    copyFileSync(join(samplesDir, 'compliant.mp4'), join(folder, 'campaign', 'week 1', 'Launch.MP4'));
    copyFileSync(join(samplesDir, 'violation-container.mkv'), join(folder, 'campaign', 'teaser.mkv'));
    copyFileSync(join(samplesDir, 'compliant.mp4'), join(folder, 'node_modules', 'pkg', 'fixture.mp4'));
    copyFileSync(join(samplesDir, 'compliant.mp4'), join(folder, '.cache', 'old.mp4'));
    copyFileSync(join(samplesDir, 'compliant.mp4'), join(folder, '.hidden.mp4'));
    writeFileSync(join(folder, 'campaign', 'notes.txt'), 'not a video');
  });

  afterAll(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  it('finds video files recursively, skipping hidden entries, node_modules and other files', async () => {
    const run = await runCli(['check', '--format', 'json', folder]);
    const paths = (JSON.parse(run.stdout) as CheckDocument).files.map((file) => file.path.slice(folder.length + 1));
    expect(paths).toEqual(['campaign/teaser.mkv', 'campaign/week 1/Launch.MP4']);
  });

  it('follows links to files, not to folders', async () => {
    const links = join(folder, 'links');
    mkdirSync(links);
    symlinkSync(join(samplesDir, 'violation-faststart.mp4'), join(links, 'linked.mp4'));
    symlinkSync(links, join(links, 'loop'));
    const run = await runCli(['check', '--format', 'json', links]);
    expect((JSON.parse(run.stdout) as CheckDocument).files.map((file) => file.violations.map((violation) => violation.code))).toEqual([['faststart']]);
    rmSync(links, { recursive: true });
  });

  it('gives a FIFO an unreadable verdict instead of waiting on it', async () => {
    const fifo = join(folder, 'pipe.mp4');
    execFileSync('mkfifo', [fifo]);
    const run = await runCli(['check', '--format', 'json', fifo, join(samplesDir, 'compliant.mp4')]);
    rmSync(fifo);
    expect(run.code).toBe(1);
    const files = (JSON.parse(run.stdout) as CheckDocument).files;
    expect(files.map((file) => file.ok)).toEqual([false, true]);
    expect(files[0]?.violations[0]?.message).toMatch(/not a regular file/i);
  });

  it('keeps every other verdict when ffprobe cannot run for one file', async () => {
    const run = await runCli(['check', '--format', 'json', join(folder, 'campaign', 'teaser.mkv'), join(samplesDir, 'compliant.mp4')], {
      env: { FFPROBE_PATH: join(folder, 'no-such-ffprobe') },
    });
    expect(run.code).toBe(1);
    const files = (JSON.parse(run.stdout) as CheckDocument).files;
    expect(files.map((file) => file.ok)).toEqual([false, true]);
    expect(files[0]?.violations[0]?.message).toMatch(/cannot run ffprobe/i);
  });

  it('checks a file named directly whatever its extension', async () => {
    const run = await runCli(['check', '--format', 'json', join(folder, 'campaign', 'notes.txt')]);
    expect(run.code).toBe(1);
    expect((JSON.parse(run.stdout) as CheckDocument).files[0]?.violations[0]?.code).toBe('unreadable');
  });

  it('reports a crashing ffprobe as an unreadable file, not a crash of its own', async () => {
    const crasher = join(folder, 'crashing-ffprobe.sh');
    writeFileSync(crasher, '#!/bin/sh\nkill -SEGV $$\n');
    chmodSync(crasher, 0o755);
    const run = await runCli(['check', '--format', 'json', join(folder, 'campaign', 'teaser.mkv')], { env: { FFPROBE_PATH: crasher } });
    expect(run.code).toBe(1);
    const [file] = (JSON.parse(run.stdout) as CheckDocument).files;
    expect(file?.violations[0]?.message).toMatch(/^Ffprobe crashed \(SIGSEGV\)|^ffprobe crashed/i);
  });
});

describe('inputs are never modified', () => {
  it('leaves every sample byte for byte as it was', async () => {
    const hashes = () =>
      readdirSync(samplesDir)
        .sort()
        .map((name) => createHash('sha256').update(readFileSync(join(samplesDir, name))).digest('hex'));
    const before = hashes();
    await runCli(['check', 'samples']);
    expect(hashes()).toEqual(before);
  });
});
