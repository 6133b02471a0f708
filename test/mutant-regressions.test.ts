/**
 * Mutants the probe once called compliant although ffprobe decodes no frame of them (found by
 * `node bench/mutants.mjs 1000 7`): a damaged SPS past its level byte, empty samples in a fragment's
 * trun, a sync table or a chunk run claiming more than the track has, a track without its timing table.
 * Regenerated here from the committed generator, so the cases need no committed binaries.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCompliance, probe, PROFILES } from '@wavid/probe';
import { ffprobePath, samplesDir } from './support/tools.js';

const execFileAsync = promisify(execFile);

interface Mutant {
  name: string;
  bytes: Buffer;
}

/** Each case: the mutant's index among 1000 of seed 7, and what the probe must now find. */
const CASES: [index: number, problem: RegExp][] = [
  [8, /'stsc' starts a run at chunk \d+ but the track has \d+ chunks/],
  [115, /lists a sample of 0 bytes/],
  [276, /lists a sample of 0 bytes/],
  [354, /lists a sample of 0 bytes/],
  [388, /lists a sample of 0 bytes/],
  [605, /its sequence parameter set gives 320x256 pixels, its sample entry 320x240/],
  [688, /a track has chunks but no 'stts' box/],
  [763, /a sample table claims \d+ entries but holds room for/],
  [913, /lists a sample of 0 bytes/],
  [983, /lists a sample of 0 bytes/],
];

let dir: string;
let mutants: Mutant[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wavid-mutant-regressions-'));
  const { makeMutants } = (await import(join(samplesDir, 'make-mutants.mjs'))) as { makeMutants: (count: number, seed: number) => Mutant[] };
  mutants = makeMutants(1000, 7);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Frames ffprobe decodes among the first 30 of the first video stream. */
async function decodedFrames(path: string): Promise<number> {
  const args = ['-v', 'error', '-select_streams', 'v:0', '-read_intervals', '%+#30', '-show_entries', 'frame=pict_type', '-of', 'csv', path];
  return execFileAsync(ffprobePath, args).then(({ stdout }) => stdout.split('\n').filter((line) => line.startsWith('frame')).length, () => 0);
}

describe('mutants ffprobe cannot decode (seed 7)', () => {
  it.each(CASES)('mutant %i is not called compliant', async (index, problem) => {
    const mutant = mutants[index];
    if (!mutant) throw new Error(`no mutant ${index}`);
    const path = join(dir, mutant.name);
    writeFileSync(path, mutant.bytes);
    expect(await decodedFrames(path)).toBe(0);
    const facts = await probe(path);
    expect(facts.problem?.message).toMatch(problem);
    expect(checkCompliance(facts, PROFILES.whatsapp).ok).toBe(false);
  });
});
