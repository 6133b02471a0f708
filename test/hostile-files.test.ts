import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, ffprobePath, repoRoot, samplesDir } from './support/tools.js';

const execFileAsync = promisify(execFile);

// Mutants per run: a couple of hundred keeps the suite quick; WAVID_MUTANTS=8000 for a long run.
const MUTANTS = Number(process.env.WAVID_MUTANTS ?? 200);
const SEED = Number(process.env.WAVID_MUTANT_SEED ?? 1);
/** The whole check, workers included, must stay within this resident size. */
const MAX_RSS_MB = 400;

interface Mutant {
  name: string;
  source: string;
  edits: string[];
  bytes: Buffer;
}
interface BoxEdits {
  insertBox: (source: Buffer, types: string[], box: Buffer) => Buffer;
}
interface CheckedFile {
  path: string;
  ok: boolean;
  violations: { code: string }[];
  facts: { problem: { reason: string } | null };
}

// Reports the peak resident size of the process (main thread and workers) as it exits.
const REPORT_RSS = 'data:text/javascript,process.on("exit",()=>process.stderr.write("maxrss-kb="+process.resourceUsage().maxRSS+"\\n"))';

let dir: string;
let mutants: Mutant[];
let checked: Map<string, CheckedFile>;
let run: { code: number; stderr: string; seconds: number };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wavid-hostile-'));
  const { makeMutants } = (await import(join(samplesDir, 'make-mutants.mjs'))) as { makeMutants: (count: number, seed: number) => Mutant[] };
  const { insertBox } = (await import(join(samplesDir, 'box-edit.mjs'))) as BoxEdits;
  mutants = makeMutants(MUTANTS, SEED);
  for (const mutant of mutants) writeFileSync(join(dir, mutant.name), mutant.bytes);

  // 1.9 million empty trak boxes in the moov (15 MB), and 99,000 empty top-level moof boxes.
  const emptyBoxes = (type: string, count: number) => {
    const bytes = Buffer.alloc(count * 8);
    for (let at = 0; at < bytes.length; at += 8) {
      bytes.writeUInt32BE(8, at);
      bytes.write(type, at + 4, 'latin1');
    }
    return bytes;
  };
  writeFileSync(join(dir, 'many-empty-traks.mp4'), insertBox(readFileSync(join(samplesDir, 'compliant.mp4')), ['moov'], emptyBoxes('trak', 1_900_000)));
  writeFileSync(join(dir, 'many-empty-moofs.mp4'), Buffer.concat([readFileSync(join(samplesDir, 'warn-fragmented.mp4')), emptyBoxes('moof', 99_000)]));

  const started = Date.now();
  const result = await execFileAsync(process.execPath, ['--import', REPORT_RSS, cliPath, 'check', '--format', 'json', dir], {
    cwd: repoRoot,
    maxBuffer: 256 * 1024 * 1024,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: unknown) => {
      const failed = error as { code?: number; stdout: string; stderr: string };
      return { code: failed.code ?? -1, stdout: failed.stdout, stderr: failed.stderr };
    },
  );
  run = { code: result.code, stderr: result.stderr, seconds: (Date.now() - started) / 1000 };
  const report = JSON.parse(result.stdout) as { files: CheckedFile[] };
  checked = new Map(report.files.map((file) => [file.path.split('/').pop() ?? '', file]));
}, 600_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe(`wavid check on ${MUTANTS} mutants of the samples and the review's costly files`, () => {
  it('gives every file a verdict, in one process that neither crashes nor hangs', () => {
    expect([0, 1]).toContain(run.code);
    expect(checked.size).toBe(MUTANTS + 2);
    for (const file of checked.values()) expect(Array.isArray(file.violations)).toBe(true);
    expect(run.seconds).toBeLessThan(120 + MUTANTS * 0.5);
  });

  it(`stays under ${MAX_RSS_MB} MB resident`, () => {
    const peak = Number(/maxrss-kb=(\d+)/.exec(run.stderr)?.[1]);
    expect(peak).toBeGreaterThan(0);
    expect(peak / 1024).toBeLessThan(MAX_RSS_MB);
  });

  it('calls the moov of 1.9 million empty traks and the file of 99,000 empty moofs what they are, quickly', () => {
    expect(checked.get('many-empty-traks.mp4')?.facts.problem?.reason).toBe('corrupt');
    expect(checked.get('many-empty-moofs.mp4')?.violations.map((violation) => violation.code)).not.toContain('unreadable');
  });

  it('calls no mutant compliant that ffprobe cannot decode a video frame of', async () => {
    const compliant = mutants.filter((mutant) => checked.get(mutant.name)?.ok);
    expect(compliant.length).toBeGreaterThan(0);
    const undecodable: string[] = [];
    const queue = [...compliant];
    const worker = async () => {
      for (let mutant = queue.shift(); mutant; mutant = queue.shift()) {
        const frames = await execFileAsync(ffprobePath, [
          '-v', 'error', '-select_streams', 'v:0', '-read_intervals', '%+#30', '-show_entries', 'frame=pict_type', '-of', 'csv', join(dir, mutant.name),
        ]).then(({ stdout }) => stdout.split('\n').filter((line) => line.startsWith('frame')).length, () => 0);
        if (frames === 0) undecodable.push(`${mutant.name} (${mutant.source}: ${mutant.edits.join(', ')})`);
      }
    };
    await Promise.all([worker(), worker()]);
    expect(undecodable).toEqual([]);
  }, 600_000);
});
