import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROFILES } from '@wavid/probe';
import { InvalidOptionError, prepareFolder, runCampaign, WAVID_VERSION, type FolderItem } from 'wavid';
import { runCli, samplesDir } from './support/tools.js';

interface Entry {
  input: string;
  output: string | null;
  error: { code: string } | null;
}
interface RunDocument {
  files: (Entry & { ok: boolean })[];
}

/** Every file below `dir` (links not followed) with a hash of its bytes, to show that nothing changed. */
function snapshot(dir: string, below = dir, found: Record<string, string> = {}): Record<string, string> {
  // Walked by hand: a recursive readdir follows links to folders on some Node versions.
  for (const entry of readdirSync(below, { withFileTypes: true })) {
    const path = join(below, entry.name);
    if (entry.isSymbolicLink()) found[relative(dir, path)] = 'link';
    else if (entry.isDirectory()) snapshot(dir, path, found);
    else if (entry.isFile()) found[relative(dir, path)] = createHash('sha256').update(readFileSync(path)).digest('hex');
  }
  return found;
}

const LONG_NAME = `${'l'.repeat(240)}.mp4`;

/** A folder of inputs with links out of it, a loop, odd names and names of wavid's own files. */
function makeHostileFolder(root: string): { folder: string; outside: string } {
  const folder = join(root, 'in');
  const outside = join(root, 'outside');
  mkdirSync(join(folder, 'report.html'), { recursive: true });
  mkdirSync(join(folder, 'wavid-manifest.json'));
  mkdirSync(join(folder, 'linked'));
  mkdirSync(outside);
  copyFileSync(join(samplesDir, 'compliant.mp4'), join(folder, 'ready.mp4'));
  copyFileSync(join(samplesDir, 'violation-faststart.mp4'), join(folder, 'moov-at-end.mp4'));
  copyFileSync(join(samplesDir, 'compliant.mp4'), join(folder, 'report.html', 'clip.mp4'));
  copyFileSync(join(samplesDir, 'compliant.mp4'), join(folder, 'wavid-manifest.json', 'clip.mp4'));
  copyFileSync(join(samplesDir, 'compliant.mp4'), join(folder, 'linked', 'clip.mp4'));
  copyFileSync(join(samplesDir, 'compliant.mp4'), join(folder, LONG_NAME));
  copyFileSync(join(samplesDir, 'bad-random.mp4'), join(folder, 'name\u001b]0;title\u0007.mp4'));
  copyFileSync(join(samplesDir, 'compliant.mp4'), join(outside, 'elsewhere.mp4'));
  symlinkSync(join(outside, 'elsewhere.mp4'), join(folder, 'link-to-outside.mp4'));
  symlinkSync('.', join(folder, 'loop'));
  symlinkSync('/proc', join(folder, 'system'));
  // Something that looks like a leftover of wavid's, outside the output folder.
  writeFileSync(join(outside, '.clip.mp4.0123abcd.partial.mp4'), 'not wavid');
  return { folder, outside };
}

describe('wavid on a folder of hostile inputs', () => {
  let root: string;
  let folder: string;
  let outside: string;
  let out: string;
  let before: { input: Record<string, string>; outside: Record<string, string> };

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'wavid-hostile-'));
    ({ folder, outside } = makeHostileFolder(root));
    out = join(root, 'out');
    mkdirSync(out);
    // The output folder holds links out of it and a loop before the run starts.
    symlinkSync(outside, join(out, 'linked'));
    symlinkSync(out, join(out, 'loop'));
    symlinkSync('/usr', join(out, 'system'));
    before = { input: snapshot(folder), outside: snapshot(outside) };
  });
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('run gives each file a verdict and writes and deletes nothing outside the output folder', async () => {
    const run = await runCli(['run', folder, '--out', out, '--format', 'json']);
    expect(run.stderr).toBe('');
    const files = (JSON.parse(run.stdout) as RunDocument).files;
    const byInput = Object.fromEntries(files.map((file) => [file.input, file]));
    expect(Object.keys(byInput).sort()).toEqual([
      LONG_NAME, 'link-to-outside.mp4', join('linked', 'clip.mp4'), 'moov-at-end.mp4', 'name\u001b]0;title\u0007.mp4',
      'ready.mp4', join('report.html', 'clip.mp4'), join('wavid-manifest.json', 'clip.mp4'),
    ].sort());
    expect(byInput[LONG_NAME]).toMatchObject({ ok: true, output: LONG_NAME });
    expect(byInput[join('linked', 'clip.mp4')]?.error?.code).toBe('output-outside');
    expect(byInput[join('report.html', 'clip.mp4')]).toMatchObject({ ok: true, output: join('report.html-2', 'clip.mp4') });
    expect(statSync(join(out, 'report.html')).isFile()).toBe(true);
    expect(statSync(join(out, 'wavid-manifest.json')).isFile()).toBe(true);
    expect(snapshot(folder)).toEqual(before.input);
    expect(snapshot(outside)).toEqual(before.outside);
  }, 300_000);

  it('a manifest edited to name a file outside the output folder does not make run use it', async () => {
    const manifestPath = join(out, 'wavid-manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { entries: Entry[] };
    for (const entry of manifest.entries) if (entry.input === 'ready.mp4') entry.output = join('..', 'outside', 'elsewhere.mp4');
    writeFileSync(manifestPath, JSON.stringify(manifest));
    const run = await runCli(['run', folder, '--out', out, '--format', 'json']);
    expect(run.stderr).toMatch(/^wavid run: dropped 1 unusable entry of the previous manifest/);
    const ready = (JSON.parse(run.stdout) as RunDocument).files.find((file) => file.input === 'ready.mp4');
    expect(ready).toMatchObject({ ok: true, output: 'ready.mp4' });
    expect(snapshot(outside)).toEqual(before.outside);
  }, 300_000);

  it('a manifest with malformed entries does not stop run: they are dropped, it says so, and their inputs are done again', async () => {
    const manifestPath = join(out, 'wavid-manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { entries: unknown[] };
    const entries = manifest.entries as Entry[];
    manifest.entries = [
      null,
      ...entries.map((entry) => {
        if (entry.input === 'ready.mp4') return { ...entry, output: 5 };
        if (entry.input === 'moov-at-end.mp4') return { ...entry, before: { ok: false, violations: 5 } };
        return entry;
      }),
    ];
    writeFileSync(manifestPath, JSON.stringify(manifest));
    const run = await runCli(['run', folder, '--out', out, '--format', 'json']);
    expect(run.stderr).toMatch(/^wavid run: dropped 3 unusable entries of the previous manifest \(malformed, /);
    const files = (JSON.parse(run.stdout) as { files: (Entry & { ok: boolean; outcome: string })[] }).files;
    expect(files).toHaveLength(8);
    const byInput = Object.fromEntries(files.map((file) => [file.input, file]));
    expect(byInput['ready.mp4']).toMatchObject({ ok: true, output: 'ready.mp4', outcome: 'done' });
    expect(byInput['moov-at-end.mp4']).toMatchObject({ ok: true, outcome: 'done' });
    expect(byInput[LONG_NAME]).toMatchObject({ ok: true, outcome: 'skipped' });
    const rewritten = JSON.parse(readFileSync(manifestPath, 'utf8')) as { entries: Entry[] };
    expect(rewritten.entries).toHaveLength(8);
  }, 300_000);

  it('fix and prepareFolder guard their outputs as run does: links out, names of wavid\'s files, long names', async () => {
    for (const make of ['fix', 'prepareFolder'] as const) {
      const guarded = join(root, `guarded-${make}`);
      mkdirSync(guarded);
      symlinkSync(outside, join(guarded, 'linked'));
      symlinkSync(guarded, join(guarded, 'loop'));
      symlinkSync(join(folder, 'moov-at-end.mp4'), join(guarded, 'moov-at-end.mp4'));
      let byInput: Record<string, { output: string; code: string | null }>;
      if (make === 'fix') {
        const fix = await runCli(['fix', folder, '--out', guarded, '--format', 'json']);
        const files = (JSON.parse(fix.stdout) as { files: { input: string; output: string; error: { code: string } | null }[] }).files;
        byInput = Object.fromEntries(files.map((file) => [relative(folder, file.input), { output: relative(guarded, file.output), code: file.error?.code ?? null }]));
      } else {
        const items: FolderItem[] = [];
        for await (const item of prepareFolder(folder, { outDir: guarded, concurrency: 2 })) items.push(item);
        byInput = Object.fromEntries(items.map((item) => [relative(folder, item.input), { output: relative(guarded, item.output), code: item.ok ? null : item.error.code }]));
      }
      expect(byInput[join('linked', 'clip.mp4')], make).toEqual({ output: join('linked', 'clip.mp4'), code: 'output-outside' });
      expect(byInput['moov-at-end.mp4'], make).toEqual({ output: 'moov-at-end.mp4', code: 'output-is-input' });
      expect(byInput[join('report.html', 'clip.mp4')], make).toEqual({ output: join('report.html-2', 'clip.mp4'), code: null });
      expect(byInput[join('wavid-manifest.json', 'clip.mp4')], make).toEqual({ output: join('wavid-manifest.json-2', 'clip.mp4'), code: null });
      expect(byInput[LONG_NAME], make).toEqual({ output: LONG_NAME, code: null });
      expect(statSync(join(guarded, LONG_NAME)).isFile()).toBe(true);
      expect(snapshot(folder)).toEqual(before.input);
      expect(snapshot(outside)).toEqual(before.outside);
    }
  }, 300_000);

  it('check and fix give each file a verdict and leave the inputs and the outside alone', async () => {
    const check = await runCli(['check', folder, '--format', 'json']);
    expect(check.code).toBe(1);
    expect((JSON.parse(check.stdout) as { files: unknown[] }).files).toHaveLength(8);
    const fixOut = join(root, 'fixed');
    mkdirSync(fixOut);
    // What a killed fix of ready.mp4 left behind, and a look-alike for another name.
    writeFileSync(join(fixOut, '.ready.mp4.0123abcd.partial.mp4'), 'half');
    writeFileSync(join(fixOut, '.other.mp4.0123abcd.partial.mp4'), 'not this output');
    const fix = await runCli(['fix', folder, '--out', fixOut, '--format', 'json']);
    expect((JSON.parse(fix.stdout) as { files: unknown[] }).files).toHaveLength(8);
    expect(existsSync(join(fixOut, '.ready.mp4.0123abcd.partial.mp4'))).toBe(false);
    expect(existsSync(join(fixOut, '.other.mp4.0123abcd.partial.mp4'))).toBe(true);
    expect(existsSync(join(fixOut, LONG_NAME))).toBe(true);
    expect(snapshot(folder)).toEqual(before.input);
    expect(snapshot(outside)).toEqual(before.outside);
  }, 300_000);
});

describe('--out a link to the input folder', () => {
  /**
   * Runs `refuse` on a folder with one input and each `out`: a link to that folder, and a folder not made yet
   * below such a link. The input must keep its bytes, and nothing may be made in the folder.
   */
  async function withOutLinkedToInput(refuse: (paths: { folder: string; out: string }) => Promise<void>): Promise<void> {
    const root = mkdtempSync(join(tmpdir(), 'wavid-out-link-'));
    try {
      const folder = join(root, 'in');
      mkdirSync(folder);
      copyFileSync(join(samplesDir, 'violation-faststart.mp4'), join(folder, 'moov-at-end.mp4'));
      symlinkSync(folder, join(root, 'link'));
      const before = snapshot(folder);
      for (const out of [join(root, 'link'), join(root, 'link', 'new', 'out')]) {
        await refuse({ folder, out });
        expect(snapshot(folder), out).toEqual(before);
        expect(readdirSync(folder), out).toEqual(['moov-at-end.mp4']);
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }

  it('run and runCampaign refuse with the typed option error, and the inputs keep their bytes', async () => {
    await withOutLinkedToInput(async ({ folder, out }) => {
      const run = await runCli(['run', folder, '--out', out, '--format', 'json']);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^wavid run: --out .+ is inside .+ \(also through links\)/);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      const failure = await runCampaign({ folder, outDir: out, profile: PROFILES.whatsapp, concurrency: 1, wavidVersion: WAVID_VERSION }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(InvalidOptionError);
      expect(failure).toMatchObject({ code: 'invalid-option', option: 'outDir' });
    });
  }, 120_000);

  it('fix and prepareFolder refuse too, and the inputs keep their bytes', async () => {
    await withOutLinkedToInput(async ({ folder, out }) => {
      const fix = await runCli(['fix', folder, '--out', out, '--format', 'json']);
      expect(fix.code).toBe(2);
      expect(fix.stderr).toMatch(/inside/);
      const items = prepareFolder(folder, { outDir: out });
      await expect(items.next()).rejects.toMatchObject({ code: 'invalid-option', option: 'outDir', message: expect.stringMatching(/inside/) as string });
    });
  }, 120_000);
});
