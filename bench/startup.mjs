// What starting the command costs over starting Node itself: medians of alternating runs, side by side.
// Usage: node bench/startup.mjs [runs]   (after `pnpm run build`)
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = fileURLToPath(new URL('../packages/wavid/dist/cli.js', import.meta.url));
const sample = fileURLToPath(new URL('../samples/compliant.mp4', import.meta.url));
const runs = Number(process.argv[2] ?? 15);

const cases = [
  { name: 'node (bare start)', args: ['-e', ''] },
  { name: 'wavid --help', args: [cli, '--help'] },
  { name: 'wavid check one.mp4', args: [cli, 'check', sample] },
  { name: 'wavid publish --help', args: [cli, 'publish', '--help'] },
];

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
  console.log(`  ${entry.name.padEnd(24)} ${String(Math.round(value)).padStart(5)} ms${over}`);
}
