// Mutants the probe calls compliant that ffprobe cannot decode a video frame of: `wavid check` on the
// mutants of samples/make-mutants.mjs, then ffprobe's decode of the first frames of each one called
// compliant. Prints each disagreement with the edits that made it, and the count.
// Usage: node bench/mutants.mjs [count] [seed]   (FFPROBE_PATH picks another ffprobe)
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { defaultFfprobePath } from '@wavid/probe';
import { makeMutants } from '../samples/make-mutants.mjs';

const run = promisify(execFile);
const [count = '1000', seed = '7'] = process.argv.slice(2);
const work = join(import.meta.dirname, '.work', `mutants-${count}-${seed}`);
const cli = join(import.meta.dirname, '..', 'packages', 'wavid', 'dist', 'cli.js');
const ffprobe = defaultFfprobePath();

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const mutants = makeMutants(Number(count), Number(seed));
for (const mutant of mutants) writeFileSync(join(work, mutant.name), mutant.bytes);

const check = await run(process.execPath, [cli, 'check', '--format', 'json', work], { maxBuffer: 512 * 1024 * 1024 }).catch((error) => error);
const verdicts = new Map(JSON.parse(check.stdout).files.map((file) => [file.path.split('/').pop(), file.ok]));
const compliant = mutants.filter((mutant) => verdicts.get(mutant.name) === true);

/** Frames ffprobe decodes among the first 30 of the first video stream; 0 when it cannot open the file. */
async function decodedFrames(path) {
  const args = ['-v', 'error', '-select_streams', 'v:0', '-read_intervals', '%+#30', '-show_entries', 'frame=pict_type', '-of', 'csv', path];
  return run(ffprobe, args).then(({ stdout }) => stdout.split('\n').filter((line) => line.startsWith('frame')).length, () => 0);
}

const disagreements = [];
const queue = [...compliant];
await Promise.all(
  [0, 1].map(async () => {
    for (let mutant = queue.shift(); mutant; mutant = queue.shift()) {
      if ((await decodedFrames(join(work, mutant.name))) === 0) disagreements.push(mutant);
    }
  }),
);
disagreements.sort((a, b) => a.name.localeCompare(b.name));
for (const mutant of disagreements) console.log(`${mutant.name}  ${mutant.edits.join(', ')}`);
console.log(`${count} mutants, seed ${seed}: ${compliant.length} called compliant, ${disagreements.length} of them undecodable by ffprobe (${ffprobe})`);
console.log(`mutants kept in ${work}`);
