// What starting the command costs over starting Node itself: medians of alternating runs, side by side.
// Usage: node bench/startup.mjs [runs] [--against <other cli.js>]   (after `pnpm run build`)
// `--against` times another build of the command in the same runs, e.g. a copy of the packages built from an
// older commit, so a change's effect is measured side by side rather than across two runs of a busy machine.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = fileURLToPath(new URL('../packages/wavid/dist/cli.js', import.meta.url));
const sample = fileURLToPath(new URL('../samples/compliant.mp4', import.meta.url));
const args = process.argv.slice(2);
const againstAt = args.indexOf('--against');
const against = againstAt >= 0 ? args.splice(againstAt, 2)[1] : undefined;
const runs = Number(args[0] ?? 15);

const commandCases = (label, path) => [
  { name: `${label} --help`, args: [path, '--help'] },
  { name: `${label} check one.mp4`, args: [path, 'check', sample] },
  { name: `${label} publish --help`, args: [path, 'publish', '--help'] },
  { name: `${label} worker --help`, args: [path, 'worker', '--help'] },
];
const cases = [{ name: 'node (bare start)', args: ['-e', ''] }, ...commandCases('wavid', cli), ...(against ? commandCases('other', against) : [])];

const times = new Map(cases.map((entry) => [entry.name, []]));
for (let run = 0; run < runs; run++) {
  // Alternating keeps a busy machine's slow moments from landing on one case only.
  for (const entry of cases) {
    const started = process.hrtime.bigint();
    const result = spawnSync(process.execPath, entry.args, { cwd: root, stdio: 'pipe' });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (result.status !== 0 && result.status !== 1) throw new Error(`${entry.name} exited with ${result.status}: ${result.stderr}`);
    if (result.stderr.length > 0) throw new Error(`${entry.name} wrote to stderr: ${result.stderr}`);
    times.get(entry.name).push(ms);
  }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const bare = median(times.get(cases[0].name));
console.log(`Node ${process.version}, ${runs} runs each, medians:`);
for (const entry of cases) {
  const value = median(times.get(entry.name));
  const over = entry === cases[0] ? '' : `  (+${Math.round(value - bare)} ms over a bare node)`;
  console.log(`  ${entry.name.padEnd(26)} ${String(Math.round(value)).padStart(5)} ms${over}`);
}
