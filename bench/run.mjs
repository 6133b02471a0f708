// Benchmark of `wavid run` on a generated folder of 24 mixed videos (8 compliant, 8 that need a remux,
// 8 that need a transcode): its wall time against fixing the same files one after another with
// `wavid fix`, as a ratio in one run, and how busy each core is while encodes run (target: every core
// above 90%). Inputs are generated once into bench/.work/run. Run with `pnpm run bench:run`.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultFfmpegPath } from '@wavid/transcode';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = join(root, 'bench', '.work', 'run');
const campaign = join(work, 'campaign');
const cli = join(root, 'packages', 'wavid', 'dist', 'cli.js');
const ffmpegPath = defaultFfmpegPath();

/** Runs a command to its end; resolves with the wall time in seconds. Exit code 1 (some file failed) is allowed. */
function timed(binary, args, { onTick } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const ticker = onTick ? setInterval(onTick, 200) : null;
    child.on('close', (code) => {
      if (ticker) clearInterval(ticker);
      if (code !== 0 && code !== 1) reject(new Error(`${args.join(' ')} failed (${code}): ${stderr.slice(-1000)}`));
      else resolve((performance.now() - started) / 1000);
    });
  });
}

const ffmpeg = (args) => timed(ffmpegPath, ['-hide_banner', '-nostdin', '-v', 'error', '-y', ...args]);
const pattern = (size, seconds) => ['-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=30:duration=${seconds}`, '-f', 'lavfi', '-i', `sine=frequency=330:sample_rate=48000:duration=${seconds}`];

async function generate() {
  mkdirSync(campaign, { recursive: true });
  const jobs = [];
  for (let i = 1; i <= 8; i++) {
    const base = [...pattern('640x360', 6 + (i % 3)), '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac'];
    const wanted = {
      [`compliant-${i}.mp4`]: [...base, '-profile:v', 'main', '-bf', '0', '-movflags', '+faststart'],
      // Remux only: moov at the end, a Matroska container, or a second audio track.
      [`remux-${i}.${i % 3 === 0 ? 'mkv' : 'mp4'}`]: i % 3 === 1
        ? [...pattern('640x360', 6), '-f', 'lavfi', '-i', 'sine=frequency=550:sample_rate=48000:duration=6', '-map', '0:v', '-map', '1:a', '-map', '2:a', '-c:v', 'libx264', '-preset', 'ultrafast', '-profile:v', 'main', '-bf', '0', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-movflags', '+faststart']
        : [...base, '-profile:v', 'main', '-bf', '0'],
      [`transcode-${i}.mp4`]: [...pattern('1280x720', 8), '-c:v', 'libx264', '-preset', 'ultrafast', '-profile:v', 'high', '-bf', '3', '-pix_fmt', 'yuv420p', '-c:a', 'aac'],
    };
    for (const [name, args] of Object.entries(wanted)) {
      if (!existsSync(join(campaign, name))) jobs.push([name, args]);
    }
  }
  for (const [name, args] of jobs) {
    process.stdout.write(`generating ${name}\n`);
    await ffmpeg([...args, join(campaign, name)]);
  }
}

/** Per-core busy and total jiffies from /proc/stat. */
function coreTimes() {
  return readFileSync('/proc/stat', 'utf8')
    .split('\n')
    .filter((line) => /^cpu\d+ /.test(line))
    .map((line) => {
      const fields = line.split(/\s+/).slice(1).map(Number);
      const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
      const total = fields.reduce((sum, value) => sum + value, 0);
      return { busy: total - idle, total };
    });
}

/** True while some ffmpeg encodes with x264: the transcode phase. */
function encoding() {
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('libx264')) return true;
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return false;
}

/** Samples core use every 200 ms, counting only the samples taken while an encode runs. */
function coreMeter() {
  let last = coreTimes();
  const busy = last.map(() => 0);
  const total = last.map(() => 0);
  return {
    tick() {
      const now = coreTimes();
      if (encoding()) {
        now.forEach((core, index) => {
          busy[index] += core.busy - (last[index]?.busy ?? 0);
          total[index] += core.total - (last[index]?.total ?? 0);
        });
      }
      last = now;
    },
    shares: () => busy.map((value, index) => (total[index] ? value / total[index] : 0)),
  };
}

await generate();
const files = readdirSync(campaign).sort();
console.log(`${files.length} videos: ${files.filter((name) => name.startsWith('compliant')).length} compliant, ${files.filter((name) => name.startsWith('remux')).length} remux-only, ${files.filter((name) => name.startsWith('transcode')).length} transcode`);

const sequentialOut = join(work, 'one-by-one');
const batchOut = join(work, 'batch');
rmSync(sequentialOut, { recursive: true, force: true });
rmSync(batchOut, { recursive: true, force: true });

let sequential = 0;
for (const name of files) sequential += await timed(process.execPath, [cli, 'fix', join(campaign, name), '--out', sequentialOut]);

const meter = coreMeter();
const batch = await timed(process.execPath, [cli, 'run', campaign, '--out', batchOut], { onTick: () => meter.tick() });
const shares = meter.shares();

console.table([
  { measure: 'wavid fix, one file after another', seconds: sequential.toFixed(1) },
  { measure: 'wavid run on the folder', seconds: batch.toFixed(1) },
]);
console.log(`wavid run is ${(sequential / batch).toFixed(2)}x the speed of fixing the files one after another`);
console.log(`core use while encoding: ${shares.map((share, index) => `core ${index} ${(share * 100).toFixed(0)}%`).join(', ')} (target: every core above 90%)`);
