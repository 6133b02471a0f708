/**
 * Tracks with more than one sample description (stsd entry), made from compliant.mp4 by editing its
 * bytes: ffmpeg decodes them, so `wavid check` must not call them unreadable, but they do not comply
 * (the probe's facts describe the first entry; muxers write one). `wavid fix` rewrites them with one
 * entry: a remux when the extra entry copies the first, a new encode when the entries differ. An stsc
 * run naming an entry the track does not have stays unreadable.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCompliance, probe, PROFILES } from '@wavid/probe';
import { ffprobeJson, runCli, samplesDir } from './support/tools.js';

interface BoxEdits {
  withTwoSampleEntries: (source: Buffer, options: { index: number; firstNalLengthBytes?: number }) => Buffer;
  walkBoxes: (buffer: Buffer) => Iterable<{ type: string; offset: number; size: number }>;
}

interface CheckedFile {
  path: string;
  ok: boolean;
  violations: { code: string; message: string }[];
}

interface FixedFile {
  input: string;
  output: string;
  action: string | null;
  ok: boolean;
  before: string[];
  after: string[];
}

/** Each variant, what `wavid check` reports of it, and what `wavid fix` does. */
const VARIANTS = {
  // The extra entry repeats the first and every sample is coded with it.
  'copied-entry-used.mp4': { index: 2, firstNalLengthBytes: undefined, violations: ['sample-descriptions'], action: 'remux' },
  // The extra entry repeats the first and no sample uses it.
  'copied-entry-unused.mp4': { index: 1, firstNalLengthBytes: undefined, violations: ['sample-descriptions'], action: 'remux' },
  // The first entry announces 2-byte NAL lengths the samples do not have; every sample is coded with the second.
  'different-entry-used.mp4': { index: 2, firstNalLengthBytes: 2, violations: ['sample-descriptions'], action: 'transcode' },
  // Runs coded with entry 3 of 2.
  'missing-entry.mp4': { index: 3, firstNalLengthBytes: undefined, violations: ['unreadable'], action: null },
} as const;

let dir: string;
let inputs: string;
let edits: BoxEdits;

/** Entry counts of every stsd in the file, read from the bytes without wavid's reader. */
function sampleEntryCounts(path: string): number[] {
  const bytes = readFileSync(path);
  return [...edits.walkBoxes(bytes)].filter((box) => box.type === 'stsd').map((box) => bytes.readUInt32BE(box.offset + 12));
}

/** Video frames ffprobe decodes from the file. */
async function decodedVideoFrames(path: string): Promise<number> {
  const json = await ffprobeJson(path, ['-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames']);
  const [stream] = (json.streams ?? []) as { nb_read_frames?: string }[];
  return Number(stream?.nb_read_frames ?? 0);
}

beforeAll(async () => {
  if (!existsSync(join(import.meta.dirname, '..', 'packages', 'wavid', 'dist', 'cli.js'))) throw new Error('build the CLI first (pnpm run build)');
  dir = mkdtempSync(join(tmpdir(), 'wavid-sample-descriptions-'));
  inputs = join(dir, 'in');
  mkdirSync(inputs);
  edits = (await import(join(samplesDir, 'box-edit.mjs'))) as BoxEdits;
  const source = readFileSync(join(samplesDir, 'compliant.mp4'));
  for (const [name, variant] of Object.entries(VARIANTS)) {
    writeFileSync(join(inputs, name), edits.withTwoSampleEntries(source, { index: variant.index, firstNalLengthBytes: variant.firstNalLengthBytes }));
  }
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('a track with two sample descriptions', () => {
  it('is a variant ffmpeg decodes whole, with two entries in its video stsd', async () => {
    const frames = await decodedVideoFrames(join(samplesDir, 'compliant.mp4'));
    for (const name of Object.keys(VARIANTS)) {
      expect(sampleEntryCounts(join(inputs, name)), name).toEqual([2, 1]);
      expect(await decodedVideoFrames(join(inputs, name)), name).toBe(frames);
    }
  });

  it('is reported by wavid check as sample-descriptions, not unreadable, unless stsc names an entry that is not there', async () => {
    const run = await runCli(['check', inputs, '--format', 'json']);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as { files: CheckedFile[] };
    expect(report.files).toHaveLength(Object.keys(VARIANTS).length);
    for (const file of report.files) {
      const name = basename(file.path) as keyof typeof VARIANTS;
      expect({ name, ok: file.ok, codes: file.violations.map((violation) => violation.code) }).toEqual({ name, ok: false, codes: VARIANTS[name].violations });
    }
    const byName = new Map(report.files.map((file) => [basename(file.path), file]));
    expect(byName.get('copied-entry-used.mp4')?.violations[0]?.message).toMatch(/track 1 \(video\) has 2; .*one per track/);
    expect(byName.get('missing-entry.mp4')?.violations[0]?.message).toMatch(/'stsc' names sample description 3, which the track does not have \(it has 2\)/);
  });

  it('is fixed by wavid fix into a compliant file with one sample description per track', async () => {
    const out = join(dir, 'out');
    const run = await runCli(['fix', inputs, '--out', out, '--format', 'json']);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as { files: FixedFile[] };
    for (const file of report.files) {
      const name = basename(file.input) as keyof typeof VARIANTS;
      const expected = VARIANTS[name];
      if (expected.action === null) {
        expect({ name, ok: file.ok, action: file.action }).toEqual({ name, ok: false, action: null });
        continue;
      }
      expect({ name, ok: file.ok, action: file.action, before: file.before, after: file.after }).toEqual({
        name,
        ok: true,
        action: expected.action,
        before: ['sample-descriptions'],
        after: [],
      });
      const facts = await probe(file.output);
      expect(facts.source).toBe('isobmff');
      expect(checkCompliance(facts, PROFILES.whatsapp).violations, name).toEqual([]);
      expect(sampleEntryCounts(file.output), name).toEqual([1, 1]);
      expect(await decodedVideoFrames(file.output), name).toBe(await decodedVideoFrames(join(inputs, name)));
    }
  });
});

// Debian's ffmpeg (5.1), newer than the bundled one: its remux must also write one entry. Elsewhere the
// block is skipped with the reason printed; in CI a missing package fails it.
const inCi = process.env.CI !== undefined && !['', '0', 'false'].includes(process.env.CI.toLowerCase());
const debianMissing = ['/usr/bin/ffmpeg', '/usr/bin/ffprobe'].find((path) => !existsSync(path));
if (debianMissing && !inCi) console.warn(`skipping the Debian ffmpeg sample description test: ${debianMissing} is missing (apt-get install ffmpeg)`);
describe.skipIf(debianMissing !== undefined && !inCi)("wavid fix with Debian's ffmpeg and ffprobe", () => {
  it('remuxes copied entries into one', async () => {
    const out = join(dir, 'out-debian');
    const run = await runCli(['fix', join(inputs, 'copied-entry-used.mp4'), '--out', out, '--format', 'json'], {
      env: { FFMPEG_PATH: '/usr/bin/ffmpeg', FFPROBE_PATH: '/usr/bin/ffprobe' },
    });
    expect(run.code).toBe(0);
    const [file] = (JSON.parse(run.stdout) as { files: FixedFile[] }).files;
    expect(file).toMatchObject({ ok: true, action: 'remux', after: [] });
    expect(sampleEntryCounts(file?.output ?? '')).toEqual([1, 1]);
  });
});
