import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PROFILES } from '@wavid/probe';
import { fixFiles, type FixFilesOptions } from './fix-files.js';

const samples = join(import.meta.dirname, '..', '..', '..', 'samples');
const baseOptions = { profile: PROFILES.whatsapp, concurrency: 2, threads: 1, overwrite: true };
const hash = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
let dir: string;
let options: FixFilesOptions;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wavid-fix-files-'));
  options = { ...baseOptions, outDir: dir };
  copyFileSync(join(samples, 'violation-several.mov'), join(dir, 'x.mov'));
  copyFileSync(join(samples, 'violation-faststart.mp4'), join(dir, 'x.mp4'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('fixFiles', () => {
  it('refuses a job whose output is another job\'s input, and leaves that input alone', async () => {
    const before = hash(join(dir, 'x.mp4'));
    const results = await fixFiles(
      [
        { input: join(dir, 'x.mov'), output: join(dir, 'x.mp4') },
        { input: join(dir, 'x.mp4'), output: join(dir, 'sub', '..', 'x.mov') },
      ],
      options,
    );
    expect(results).toMatchObject([
      { ok: false, action: null, error: { code: 'output-is-input', message: expect.stringMatching(/is an input/) as unknown } },
      { ok: false, action: null, error: { code: 'output-is-input' } },
    ]);
    expect(hash(join(dir, 'x.mp4'))).toBe(before);
  });

  it('refuses an output that is an input through a link', async () => {
    symlinkSync(join(dir, 'x.mp4'), join(dir, 'link.mp4'));
    const before = hash(join(dir, 'x.mp4'));
    const results = await fixFiles(
      [
        { input: join(dir, 'x.mp4'), output: join(dir, 'out.mp4') },
        { input: join(dir, 'x.mov'), output: join(dir, 'link.mp4') },
      ],
      { ...options, overwrite: false },
    );
    expect(results[0]).toMatchObject({ ok: true, action: 'remux' });
    expect(results[1]).toMatchObject({ ok: false, error: { code: 'output-is-input' } });
    expect(hash(join(dir, 'x.mp4'))).toBe(before);
  });

  it('refuses an output whose folder leads out of the output folder through a link, and writes nothing there', async () => {
    const out = join(dir, 'out');
    const elsewhere = join(dir, 'elsewhere');
    mkdirSync(out);
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, join(out, 'linked'));
    const results = await fixFiles([{ input: join(dir, 'x.mp4'), output: join(out, 'linked', 'x.mp4') }], { ...options, outDir: out });
    expect(results[0]).toMatchObject({ ok: false, error: { code: 'output-outside' } });
    expect(readdirSync(elsewhere)).toEqual([]);
  });
});
