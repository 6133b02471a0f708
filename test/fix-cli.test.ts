import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCompliance, probe, resolveProfile } from '@wavid/probe';
import { independentCheck, makeSamples, SAMPLES, topLevelBoxes } from './support/samples.js';

const CLI = join(import.meta.dirname, '..', 'packages', 'wavid', 'dist', 'cli.js');
const REPO_SAMPLES = join(import.meta.dirname, '..', 'samples');
let dir: string;

function wavid(...args: string[]) {
  return wavidIn(process.cwd(), ...args);
}

function wavidIn(cwd: string, ...args: string[]) {
  const run = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

interface JsonFile {
  input: string;
  output: string;
  action: string | null;
  ok: boolean;
  kept: boolean;
  before: string[];
  after: string[];
  sizeBytes: number | null;
  attempts: number;
  error: { code: string; message: string } | null;
}

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error('build the CLI first (pnpm run build)');
  dir = mkdtempSync(join(tmpdir(), 'wavid-fix-cli-'));
  makeSamples(join(dir, 'samples'));
  // A folder of fixable clips, one nested, and two whose names clash once they end in .mp4.
  const fixable = join(dir, 'fixable');
  mkdirSync(join(fixable, 'nested'), { recursive: true });
  copyFileSync(join(dir, 'samples', SAMPLES.moovAtEnd), join(fixable, 'clip.mp4'));
  copyFileSync(join(dir, 'samples', SAMPLES.compliantMkv), join(fixable, 'clip.mkv'));
  copyFileSync(join(dir, 'samples', SAMPLES.compliant), join(fixable, 'nested', 'ok.mp4'));
  copyFileSync(join(dir, 'samples', SAMPLES.highBFrames), join(fixable, 'nested', 'high.mov'));
  copyFileSync(join(dir, 'samples', SAMPLES.twoAudio), join(fixable, 'two-audio.mp4'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('wavid fix (built CLI)', () => {
  it('fixes every sample that can be fixed, passing wavid check and ffprobe, and exits 1 for the rest', async () => {
    const out = join(dir, 'out-all');
    const maxSize = 200_000;
    const run = wavid('fix', join(dir, 'samples'), '--out', out, '--format', 'json', '--max-size', String(maxSize));
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as { files: JsonFile[]; summary: Record<string, number> };
    const byName = new Map(report.files.map((file) => [file.input.split(/[\\/]/).pop(), file]));
    expect(byName.get(SAMPLES.notVideo)).toMatchObject({ ok: false, action: null, error: { code: 'unreadable' } });
    expect(byName.get(SAMPLES.compliant)).toMatchObject({ ok: true, action: 'copy', attempts: 0, error: null });
    expect(byName.get(SAMPLES.moovAtEnd)).toMatchObject({ ok: true, action: 'remux', before: ['faststart'], after: [] });
    expect(byName.get(SAMPLES.compliantMkv)).toMatchObject({ ok: true, action: 'remux' });
    expect(byName.get(SAMPLES.highBFrames)).toMatchObject({ ok: true, action: 'transcode', attempts: 1 });
    expect(report.summary).toMatchObject({ failed: 1, ok: report.files.length - 1 });

    const profile = resolveProfile('whatsapp', { maxSizeBytes: maxSize });
    for (const file of report.files.filter((entry) => entry.ok)) {
      expect(file.output.endsWith('.mp4')).toBe(true);
      const facts = await probe(file.output);
      expect(checkCompliance(facts, profile).violations).toEqual([]);
      const bytes = readFileSync(file.output);
      expect(bytes.length).toBeLessThanOrEqual(maxSize);
      const boxes = topLevelBoxes(bytes);
      expect(boxes.indexOf('moov')).toBeLessThan(boxes.indexOf('mdat'));
      const check = independentCheck(file.output);
      expect(check.pictTypes).not.toContain('B');
      expect(check.profile).toMatch(/^h264 (Main|Baseline|Constrained Baseline)$/);
      expect(check.pixFmt).toBe('yuv420p');
      expect(check.audioStreams).toBeLessThanOrEqual(1);
    }
    // wavid check agrees on the whole output folder.
    expect(wavid('check', out, '--max-size', String(maxSize)).code).toBe(0);
    // No temporary files are left behind.
    expect(readdirSync(out).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('maps paths below the folder, gives clashing names distinct outputs, and keeps up-to-date outputs', () => {
    const out = join(dir, 'out-fixable');
    const first = wavid('fix', join(dir, 'fixable'), '--out', out);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/5 files: 1 copied, 3 remuxed, 1 transcoded, 0 kept, 0 failed/);
    expect(readdirSync(out).sort()).toEqual(['clip-2.mp4', 'clip.mp4', 'nested', 'two-audio.mp4']);
    expect(readdirSync(join(out, 'nested')).sort()).toEqual(['high.mp4', 'ok.mp4']);

    const before = statSync(join(out, 'nested', 'high.mp4')).mtimeMs;
    const second = wavid('fix', join(dir, 'fixable'), '--out', out, '--format', 'json');
    expect(second.code).toBe(0);
    const report = JSON.parse(second.stdout) as { files: JsonFile[] };
    expect(report.files.every((file) => file.kept)).toBe(true);
    expect(statSync(join(out, 'nested', 'high.mp4')).mtimeMs).toBe(before);

    const third = wavid('fix', join(dir, 'fixable', 'nested', 'high.mov'), '--out', out, '--overwrite', '--format', 'json');
    expect(JSON.parse(third.stdout)).toMatchObject({ files: [{ kept: false, action: 'transcode', output: join(out, 'high.mp4') }] });
  });

  it('never writes an output over an input, even an older .mp4 fixed into its own folder', () => {
    const scratch = join(dir, 'in-place');
    mkdirSync(scratch);
    copyFileSync(join(REPO_SAMPLES, 'violation-several.mov'), join(scratch, 'x.mov'));
    copyFileSync(join(REPO_SAMPLES, 'violation-faststart.mp4'), join(scratch, 'x.mp4'));
    const old = new Date('2020-01-01T00:00:00Z');
    utimesSync(join(scratch, 'x.mp4'), old, old);
    const hash = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
    const original = hash(join(scratch, 'x.mp4'));

    const run = wavidIn(scratch, 'fix', 'x.mov', 'x.mp4', '--out', '.', '--format', 'json');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { files: JsonFile[] };
    expect(report.files).toMatchObject([
      { input: 'x.mov', output: 'x-2.mp4', ok: true, action: 'transcode' },
      { input: 'x.mp4', output: 'x-3.mp4', ok: true, action: 'remux' },
    ]);
    expect(hash(join(scratch, 'x.mp4'))).toBe(original);
    expect(statSync(join(scratch, 'x.mp4')).mtimeMs).toBe(old.getTime());
    expect(readdirSync(scratch).sort()).toEqual(['x-2.mp4', 'x-3.mp4', 'x.mov', 'x.mp4']);
  });

  it('fixes more files than an event target warns about without a word on stderr', () => {
    const many = join(dir, 'many');
    mkdirSync(many);
    for (let n = 1; n <= 12; n++) copyFileSync(join(REPO_SAMPLES, 'compliant.mp4'), join(many, `clip-${n}.mp4`));
    const run = wavid('fix', many, '--out', join(dir, 'out-many'));
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/12 files: 12 copied/);
    expect(run.stderr).toBe('');
  });

  it('prints plain lines when not on a terminal', () => {
    const run = wavid('fix', join(dir, 'samples', SAMPLES.moovAtEnd), '--out', join(dir, 'out-plain'));
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\[1\/1\] ok {4}.*moov-at-end\.mp4 -> .*remuxed/m);
    // eslint-disable-next-line no-control-regex
    expect(run.stdout).not.toMatch(/\u001b\[/);
  });

  it('reports a clip that cannot fit with cannot-fit', () => {
    const run = wavid('fix', join(dir, 'samples', SAMPLES.highBFrames), '--out', join(dir, 'out-tiny'), '--max-size', '30KB', '--format', 'json');
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ files: [{ ok: false, error: { code: 'cannot-fit' } }] });
  });

  it.each([
    [['fix', 'x.mp4'], /needs --out/],
    [['fix', '--out', 'o'], /at least one file/],
    [['fix', 'missing.mp4', '--out', 'o'], /no such file/],
    [['fix', '.', '--out', 'o', '--format', 'xml'], /--format must be one of text, json/],
  ])('exits 2 on usage errors: %j', (args, message) => {
    const run = wavid(...args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it('refuses an output folder inside an input folder', () => {
    const run = wavid('fix', join(dir, 'fixable'), '--out', join(dir, 'fixable', 'fixed'));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/inside the input folder/);
  });
});
