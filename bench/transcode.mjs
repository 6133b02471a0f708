// Benchmark of `wavid fix`. Inputs are generated once into bench/.work/transcode.
//   1. Inputs that need only a remux: wavid fix against the usual always-re-encode recipe (target >= 20x).
//   2. Inputs that need a transcode: wall time against the same ffmpeg runs made by hand (x264's two
//      passes; target within 10%) and against one plain one-pass run (what the first pass costs), size as a
//      share of the cap (90-100%), attempts per file (1), and SSIM against the source next to x264's own
//      two-pass encode (its default settings) at the same bitrate (at most 0.005 below).
//   3. Long clips (three and five minutes of 1080p scenes) at the 16 MB cap: share of the cap (90-100%),
//      attempts, time, and SSIM next to x264's own two-pass encode at the same bitrate. `--no-long` skips
//      them, `--long-only` runs only them.
// Run with `pnpm run bench:transcode`.
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demuxerFor, probe, resolveProfile } from '@wavid/probe';
import { DEFAULT_TARGET_FRACTION, defaultFfmpegPath, ffmpegArgv, fixVideo, planBudget, planRemediation, transcodeArgs } from '@wavid/transcode';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = join(root, 'bench', '.work', 'transcode');
const inputs = join(work, 'inputs');
const cli = join(root, 'packages', 'wavid', 'dist', 'cli.js');
const ffmpegPath = defaultFfmpegPath();
const CAP = 2_000_000;
const PROFILE_CAP = resolveProfile('whatsapp').maxSizeBytes;

function run(binary, args) {
  const started = performance.now();
  const result = spawnSync(binary, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0 && !(binary === process.execPath && result.status === 1)) {
    throw new Error(`${binary} ${args.join(' ')} failed (${result.status}): ${result.stderr.slice(-2000)}`);
  }
  return { seconds, stdout: result.stdout, stderr: result.stderr };
}

const ffmpeg = (args) => run(ffmpegPath, ['-hide_banner', '-nostdin', '-v', 'error', '-y', ...args]);

/** One pass of wavid's two-pass encode as a plain ffmpeg argument list. */
const passArgs = (settings, output, logPrefix, pass) => ffmpegArgv(transcodeArgs({ ...settings, output, pass: { pass, logPrefix } })).slice(2);

/** One pass of x264's own two-pass encode at the same bitrate: wavid's rate control settings taken out. */
function referencePassArgs(settings, output, logPrefix, pass) {
  const args = passArgs(settings, output, logPrefix, pass);
  const at = args.indexOf('-x264-params') + 1;
  args[at] = args[at].replace(/:ratetol=[^:]+:qcomp=[^:]+$/, '');
  return args;
}

function generate(name, args) {
  const path = join(inputs, name);
  if (!existsSync(path)) {
    process.stdout.write(`generating ${name}\n`);
    ffmpeg([...args, path]);
  }
  return path;
}

mkdirSync(inputs, { recursive: true });
const tone = ['-f', 'lavfi', '-i', 'sine=frequency=330:sample_rate=48000'];
const main720 = ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-profile:v', 'main', '-bf', '0', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '128k'];
const remuxInputs = [
  generate('remux-moov-at-end.mp4', ['-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=30', ...tone, '-t', '30', '-shortest', ...main720]),
];
remuxInputs.push(
  generate('remux-compliant.mkv', ['-i', remuxInputs[0], '-c', 'copy']),
  generate('remux-extra-audio.mp4', ['-i', remuxInputs[0], ...tone, '-map', '0:v', '-map', '0:a', '-map', '1:a', '-shortest', '-c:v', 'copy', '-c:a', 'aac', '-movflags', '+faststart']),
);
const high = ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '160k'];
const transcodeInputs = [
  generate('transcode-mandelbrot-high.mp4', ['-f', 'lavfi', '-i', 'mandelbrot=size=640x360:rate=30', ...tone, '-t', '20', '-shortest', ...high]),
  generate('transcode-testsrc-noise-high.mp4', ['-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=30,noise=alls=8:allf=t', ...tone, '-t', '20', '-shortest', ...high]),
  generate('transcode-life-hevc.mp4', [
    '-f', 'lavfi', '-i', 'life=size=640x360:rate=30:mold=10:ratio=0.3:death_color=#203040:life_color=#e0c080,scale=640:360', ...tone, '-t', '20', '-shortest',
    '-c:v', 'libx265', '-preset', 'fast', '-x265-params', 'log-level=error', '-pix_fmt', 'yuv420p10le', '-tag:v', 'hvc1', '-c:a', 'aac',
  ]),
  generate('transcode-cellauto-portrait.mp4', ['-f', 'lavfi', '-i', 'cellauto=size=360x640:rate=30:rule=110', ...tone, '-t', '20', '-shortest', ...high]),
];

// Long inputs like edited marketing spots: one minute of varied scenes (a fractal zoom, a slow pan over a
// still, cellular automata, a captioned slide), with film grain and a stereo music bed, then looped to three
// and five minutes without re-encoding. 1080p, H.264 High with B-frames, so a fix must re-encode.
function generateLong(name, minutes) {
  const base = join(inputs, 'long-base-1080p.mp4');
  if (!existsSync(base)) {
    process.stdout.write('generating long-base-1080p.mp4 (one minute of 1080p scenes)\n');
    const font = ['/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf'].find((path) => existsSync(path));
    const scene = (source, seconds) => `${source},trim=duration=${seconds},setpts=PTS-STARTPTS,scale=1920:1080,setsar=1,fps=30,format=yuv420p`;
    const caption = font
      ? `,drawtext=fontfile=${font}:text='Spring sale %{eif\\:t\\:d}':fontsize=96:fontcolor=white:box=1:boxcolor=black@0.5:x=(w-tw)/2:y=h-200-40*sin(t)`
      : '';
    const scenes = [
      scene('mandelbrot=size=640x360:rate=30:end_scale=0.02:end_pts=400', 12),
      scene('mandelbrot=size=1280x720:rate=1:start_scale=1.5:end_pts=1,trim=end_frame=1,loop=loop=400:size=1,setpts=N/30/TB,zoompan=z=1+0.002*on:x=iw/3:y=ih/3:d=1:s=1280x720:fps=30', 12),
      scene('life=size=480x270:rate=30:mold=10:ratio=0.2:life_color=#f0a020:death_color=#102040,hue=h=t*25', 12),
      scene('cellauto=size=640x360:rate=30:rule=30:scroll=1,rotate=0.1*sin(t):fillcolor=navy', 12),
      scene(`testsrc2=size=1280x720:rate=30,hue=s=0.4${caption}`, 12),
    ];
    const graph = `${scenes.map((chain, index) => `${chain}[s${index}]`).join(';')};${scenes.map((_, index) => `[s${index}]`).join('')}concat=n=${scenes.length}:v=1:a=0,noise=alls=5:allf=t[v]`;
    const music = "aevalsrc='0.25*sin(2*PI*220*t)*(0.6+0.4*sin(2*PI*2*t))+0.15*sin(2*PI*(330+30*floor(mod(t,8)/2))*t)|0.25*sin(2*PI*221*t)*(0.6+0.4*sin(2*PI*2*t+1))+0.15*sin(2*PI*(440-40*floor(mod(t,6)/2))*t)':s=48000";
    ffmpeg([
      '-filter_complex', graph, '-f', 'lavfi', '-i', music, '-f', 'lavfi', '-i', 'anoisesrc=color=pink:amplitude=0.05:r=48000',
      '-filter_complex', '[0:a][1:a]amix=inputs=2,atrim=duration=60[a]', '-map', '[v]', '-map', '[a]', '-t', '60',
      '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '21', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '192k', base,
    ]);
  }
  return generate(name, ['-stream_loop', String(minutes - 1), '-i', base, '-c', 'copy', '-t', String(minutes * 60)]);
}

const outDir = (name) => {
  const path = join(work, name);
  rmSync(path, { recursive: true, force: true });
  mkdirSync(path, { recursive: true });
  return path;
};

const threads = 2;
if (!process.argv.includes('--long-only')) await benchShortInputs();

async function benchShortInputs() {
  // 1. Remux-only inputs.
  const naiveDir = outDir('naive');
  let naiveSeconds = 0;
  for (const input of remuxInputs) {
    // The usual recipe: always re-encode, Baseline, faststart.
    naiveSeconds += ffmpeg(['-i', input, '-c:v', 'libx264', '-profile:v', 'baseline', '-c:a', 'aac', '-movflags', '+faststart', join(naiveDir, `${input.split('/').pop()}.mp4`)]).seconds;
  }
  const remuxDir = outDir('remux');
  const remuxRun = run(process.execPath, [cli, 'fix', ...remuxInputs, '--out', remuxDir, '--format', 'json', '--overwrite']);
  const remuxReport = JSON.parse(remuxRun.stdout);
  console.log('\nRemux-only inputs (moov at end, MKV with compliant H.264, extra audio stream)');
  for (const file of remuxReport.files) console.log(`  ${file.input.split('/').pop()}: ${file.action}, ok=${file.ok}`);
  console.log(`  naive re-encode ${naiveSeconds.toFixed(2)} s, wavid fix ${remuxRun.seconds.toFixed(2)} s: ${(naiveSeconds / remuxRun.seconds).toFixed(1)}x faster (target >= 20x)`);

  // 2. Inputs that need a transcode, each under a 2 MB cap.
  const profile = resolveProfile('whatsapp', { maxSizeBytes: CAP });
  const plainDir = outDir('plain');
  const twoPassDir = outDir('two-pass');
  const fixDir = outDir('fix');


  console.log(`\nInputs that need a transcode (cap ${CAP.toLocaleString('en-US')} bytes, one file at a time, x264 threads ${threads})`);
  const rows = [];
  for (const input of transcodeInputs) {
    const name = input.split('/').pop();
    const fixRun = run(process.execPath, [cli, 'fix', input, '--out', fixDir, '--max-size', String(CAP), '--concurrency', '1', '--format', 'json', '--overwrite']);
    const file = JSON.parse(fixRun.stdout).files[0];
    if (!file.ok) throw new Error(`${name}: ${JSON.stringify(file.error)}`);

    // The same first encode wavid plans, as one plain ffmpeg run.
    const facts = await probe(input);
    const plan = planRemediation(facts, profile);
    const video = facts.video[0];
    const budget = planBudget({
      durationSeconds: facts.durationSeconds, maxSizeBytes: CAP, targetFraction: DEFAULT_TARGET_FRACTION, displayWidth: video.displayWidth, displayHeight: video.displayHeight,
      frameRate: video.frameRate, audioChannels: plan.audio.kind === 'none' ? null : (plan.audio.channels ?? 2),
    }).budget;
    const settings = {
      input: { path: resolve(input), demuxer: demuxerFor(facts) }, width: budget.width, height: budget.height, videoBitrate: budget.videoBitrate, level: budget.level, profile: 'main', preset: 'medium', threads,
      audio: plan.audio, audioBitrate: budget.audioBitrate, hdr: video.hdr, frameRateCap: budget.frameRateCap, frameRate: budget.frameRate,
    };
    // The same encode wavid runs, by hand (two passes for a source over the cap, else one); and one pass
    // alone, as wavid encoded before it used two.
    const plainOut = join(plainDir, `${name}.mp4`);
    const plainLog = join(plainDir, name);
    const onePass = ffmpeg(ffmpegArgv(transcodeArgs({ ...settings, output: join(plainDir, `${name}.one-pass.mp4`) })).slice(2));
    const plain = statSync(input).size > CAP ? { seconds: ffmpeg(passArgs(settings, plainOut, plainLog, 1)).seconds + ffmpeg(passArgs(settings, plainOut, plainLog, 2)).seconds } : onePass;
    const twoPassOut = join(twoPassDir, `${name}.mp4`);
    const log = join(twoPassDir, name);
    ffmpeg(referencePassArgs(settings, twoPassOut, log, 1));
    ffmpeg(referencePassArgs(settings, twoPassOut, log, 2));

    const fixSsim = ssim(file.output, input, budget.width, budget.height);
    const twoPassSsim = ssim(twoPassOut, input, budget.width, budget.height);
    rows.push({
      name, attempts: file.attempts, share: file.sizeBytes / CAP, timeRatio: fixRun.seconds / plain.seconds, fixSeconds: fixRun.seconds, plainSeconds: plain.seconds, onePassSeconds: onePass.seconds,
      fixSsim, twoPassSsim, twoPassShare: statSync(twoPassOut).size / CAP, size: `${budget.width}x${budget.height}`, kbps: Math.round(budget.videoBitrate / 1000),
    });
  }
  for (const row of rows) {
    console.log(
      `  ${row.name}: ${row.size} ${row.kbps} kbit/s; wavid ${row.fixSeconds.toFixed(2)} s vs the same encode by hand ${row.plainSeconds.toFixed(2)} s = ${row.timeRatio.toFixed(3)} (one pass alone ${row.onePassSeconds.toFixed(2)} s); ` +
        `size ${(row.share * 100).toFixed(1)}% of cap; attempts ${row.attempts}; SSIM ${row.fixSsim.toFixed(4)} vs two-pass ${row.twoPassSsim.toFixed(4)} ` +
        `(${(row.fixSsim - row.twoPassSsim >= 0 ? '+' : '')}${(row.fixSsim - row.twoPassSsim).toFixed(4)}; two-pass size ${(row.twoPassShare * 100).toFixed(1)}%)`,
    );
  }
  const total = (key) => rows.reduce((sum, row) => sum + row[key], 0);
  const worstSsim = Math.min(...rows.map((row) => row.fixSsim - row.twoPassSsim));
  console.log(`  total: wavid ${total('fixSeconds').toFixed(2)} s vs the same encodes by hand ${total('plainSeconds').toFixed(2)} s = ${(total('fixSeconds') / total('plainSeconds')).toFixed(3)} (target <= 1.10)`);
  console.log(`  encodes by hand vs one pass alone: ${(total('plainSeconds') / total('onePassSeconds')).toFixed(3)} (what first passes cost)`);
  console.log(`  size share: ${rows.map((row) => `${(row.share * 100).toFixed(1)}%`).join(', ')} (target 90-100%)`);
  console.log(`  attempts = 1 for ${rows.filter((row) => row.attempts === 1).length}/${rows.length} files (target >= 95%)`);
  console.log(`  SSIM vs two-pass, worst: ${worstSsim >= 0 ? '+' : ''}${worstSsim.toFixed(4)} (target >= -0.005)`);
}

// 3. Long clips at the real cap. The reference is scaled once to the output size without loss, so the
// two-pass encode and both SSIM runs do not decode 1080p again; wavid's own run reads the 1080p source.
if (!process.argv.includes('--no-long')) {
  const longInputs = [generateLong('long-3min-1080p.mp4', 3), generateLong('long-5min-1080p.mp4', 5)];
  const longDir = outDir('long');
  console.log(`\nLong clips (cap ${PROFILE_CAP.toLocaleString('en-US')} bytes, default preset, x264 threads ${threads}; machine load ${loadAverage()})`);
  const longRows = [];
  for (const input of longInputs) {
    const name = input.split('/').pop();
    const output = join(longDir, name);
    const started = performance.now();
    const result = await fixVideo({ input, output, threads });
    const fixSeconds = (performance.now() - started) / 1000;
    const { budget } = result;
    const reference = join(longDir, `${name}.reference.mkv`);
    ffmpeg(['-i', input, '-map', '0:v:0', '-map', '0:a:0', '-vf', `scale=${budget.width}:${budget.height},setsar=1,format=yuv420p`, '-c:v', 'libx264', '-preset', 'ultrafast', '-qp', '0', '-c:a', 'copy', reference]);
    const plan = planRemediation(result.before, resolveProfile('whatsapp'));
    const settings = {
      input: { path: resolve(reference), demuxer: 'matroska' }, width: budget.width, height: budget.height, videoBitrate: budget.videoBitrate, level: budget.level, profile: 'main', preset: 'medium', threads,
      audio: plan.audio.kind === 'none' ? plan.audio : { ...plan.audio, index: 0 }, audioBitrate: budget.audioBitrate, hdr: false, frameRateCap: budget.frameRateCap, frameRate: budget.frameRate,
    };
    const twoPassOut = join(longDir, `${name}.two-pass.mp4`);
    const log = join(longDir, name);
    const twoPassSeconds = ffmpeg(referencePassArgs(settings, twoPassOut, log, 1)).seconds + ffmpeg(referencePassArgs(settings, twoPassOut, log, 2)).seconds;
    longRows.push({
      name, size: `${budget.width}x${budget.height}`, kbps: Math.round(budget.videoBitrate / 1000), share: result.sizeBytes / PROFILE_CAP, attempts: result.attempts, fixSeconds, twoPassSeconds,
      fixSsim: ssim(output, reference, budget.width, budget.height), twoPassSsim: ssim(twoPassOut, reference, budget.width, budget.height), twoPassShare: statSync(twoPassOut).size / PROFILE_CAP,
    });
    rmSync(reference);
  }
  for (const row of longRows) {
    console.log(
      `  ${row.name}: ${row.size} ${row.kbps} kbit/s; size ${(row.share * 100).toFixed(1)}% of cap; attempts ${row.attempts}; wavid ${row.fixSeconds.toFixed(1)} s (two-pass from the scaled reference ${row.twoPassSeconds.toFixed(1)} s); ` +
        `SSIM ${row.fixSsim.toFixed(4)} vs two-pass ${row.twoPassSsim.toFixed(4)} (${(row.fixSsim - row.twoPassSsim >= 0 ? '+' : '')}${(row.fixSsim - row.twoPassSsim).toFixed(4)}; two-pass size ${(row.twoPassShare * 100).toFixed(1)}%)`,
    );
  }
}

function ssim(encoded, source, width, height) {
  // Frames are paired by their order, as every encode here keeps every frame: paired by time, a file that
  // starts 21 ms late or rounds its clock to milliseconds (Matroska) has frames paired with the one before.
  const inOrder = 'settb=AVTB,setpts=N*1000';
  const { stderr } = run(ffmpegPath, ['-hide_banner', '-nostdin', '-i', encoded, '-i', source, '-lavfi', `[0:v]${inOrder}[out];[1:v]scale=${width}:${height},${inOrder}[ref];[out][ref]ssim`, '-f', 'null', '-']);
  return Number(/All:([\d.]+)/.exec(stderr)?.[1]);
}

function loadAverage() {
  return os.loadavg().map((value) => value.toFixed(1)).join(' ');
}
