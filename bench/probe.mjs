// Per-file time of probe() against spawning ffprobe on the same MP4 files, measured side by side in
// one run, and the bytes probe() reads from each file. Targets: at least 10x faster than ffprobe,
// and no more than 64 KB read from a faststart file.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { defaultFfprobePath, probe } from '@wavid/probe';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const ffmpeg = process.env.FFMPEG_PATH ?? require('@ffmpeg-installer/ffmpeg').path;
const ffprobe = defaultFfprobePath();
const work = join(import.meta.dirname, '.work', 'probe');
const ROUNDS = Number(process.env.ROUNDS ?? 100);

const FILES = {
  'faststart-15MB.mp4': ['-s', '1280x720', '-t', '30', '-b:v', '3800k', '-movflags', '+faststart'],
  'moov-at-end-15MB.mp4': ['-s', '1280x720', '-t', '30', '-b:v', '3800k'],
  'faststart-long-5min.mp4': ['-s', '320x240', '-t', '300', '-b:v', '300k', '-movflags', '+faststart'],
  'fragmented.mp4': ['-s', '640x360', '-t', '30', '-b:v', '1000k', '-movflags', 'frag_keyframe+empty_moov'],
  'faststart-1min.mp4': ['-s', '640x360', '-t', '60', '-b:v', '1500k', '-movflags', '+faststart'],
  'audio-only.m4a': ['-s', '320x240', '-t', '300', '-vn', '-movflags', '+faststart'],
};

mkdirSync(work, { recursive: true });
for (const [name, options] of Object.entries(FILES)) {
  if (existsSync(join(work, name))) continue;
  const [, size, , seconds, ...rest] = options;
  process.stdout.write(`generating ${name}\n`);
  await run(ffmpeg, [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=30:duration=${seconds}`,
    '-f', 'lavfi', '-i', `sine=sample_rate=48000:duration=${seconds}`,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-profile:v', 'main', '-bf', '0', '-pix_fmt', 'yuv420p', '-c:a', 'aac', ...rest,
    join(work, name),
  ]);
}

async function timePerCall(fn) {
  // Warm the page cache and the JIT, so both sides are measured in the steady state of a batch.
  for (let i = 0; i < 50; i++) await fn();
  const started = process.hrtime.bigint();
  for (let i = 0; i < ROUNDS; i++) await fn();
  return Number(process.hrtime.bigint() - started) / 1e6 / ROUNDS;
}

const rows = [];
for (const name of Object.keys(FILES)) {
  const path = join(work, name);
  const facts = await probe(path);
  const probeMs = await timePerCall(() => probe(path));
  const ffprobeMs = await timePerCall(() => run(ffprobe, ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', path]));
  rows.push({
    file: name,
    'size (MB)': (facts.sizeBytes / 1e6).toFixed(1),
    'probe ms': probeMs.toFixed(2),
    'ffprobe ms': ffprobeMs.toFixed(1),
    'ffprobe/probe': `${(ffprobeMs / probeMs).toFixed(1)}x`,
    'bytes read': facts.bytesRead,
    'KB read': (facts.bytesRead / 1024).toFixed(1),
  });
}
console.table(rows);
const ratios = rows.map((row) => Number(row['ffprobe ms']) / Number(row['probe ms'])).sort((a, b) => a - b);
const median = ratios.length % 2 ? ratios[(ratios.length - 1) / 2] : (ratios[ratios.length / 2 - 1] + ratios[ratios.length / 2]) / 2;
const faststartRead = Math.max(...rows.filter((row) => /^faststart-(15MB|1min)/.test(row.file)).map((row) => row['bytes read']));
console.log(`median ratio: probe() is ${median.toFixed(1)}x faster than ffprobe (target: at least 20x)`);
console.log(`slowest ratio: probe() is ${ratios[0].toFixed(1)}x faster than ffprobe per file (target: at least 10x)`);
console.log(`most read from a faststart clip of up to a minute: ${(faststartRead / 1024).toFixed(1)} KB (target: at most 64 KB)`);
