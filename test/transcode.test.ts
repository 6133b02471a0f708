import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCompliance, PROFILES, probe, resolveProfile } from '@wavid/probe';
import { fixVideo, TranscodeError, type ProgressEvent } from '@wavid/transcode';
import { ffmpeg, ffprobe, independentCheck, makeSamples, SAMPLES, topLevelBoxes } from './support/samples.js';

let dir: string;
const at = (name: string) => join(dir, name);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'wavid-transcode-'));
  makeSamples(join(dir, 'in'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const input = (name: string) => at(join('in', name));

/** Everything a WhatsApp-safe output must be, checked with ffprobe and raw box headers rather than wavid's reader. */
async function expectSafe(path: string, maxSizeBytes = PROFILES.whatsapp.maxSizeBytes) {
  const facts = await probe(path);
  expect(checkCompliance(facts, resolveProfile('whatsapp', { maxSizeBytes })).violations).toEqual([]);
  const bytes = readFileSync(path);
  expect(bytes.length).toBeLessThanOrEqual(maxSizeBytes);
  const boxes = topLevelBoxes(bytes);
  expect(boxes.indexOf('moov')).toBeGreaterThanOrEqual(0);
  expect(boxes.indexOf('moov')).toBeLessThan(boxes.indexOf('mdat'));
  const check = independentCheck(path);
  expect(check.profile).toMatch(/^h264 (Main|Baseline|Constrained Baseline)$/);
  expect(check.pixFmt).toBe('yuv420p');
  expect(check.width % 2).toBe(0);
  expect(check.height % 2).toBe(0);
  expect(check.pictTypes).not.toContain('B');
  expect(check.audioStreams).toBeLessThanOrEqual(1);
  for (const codec of check.audioCodecs) expect(codec).toBe('aac LC');
  return { facts, check };
}

describe('fixVideo on real files', () => {
  it.each([
    [SAMPLES.compliant, 'copy', []],
    [SAMPLES.moovAtEnd, 'remux', ['faststart']],
    [SAMPLES.compliantMkv, 'remux', ['container']],
    [SAMPLES.twoAudio, 'remux', ['audio-streams']],
    [SAMPLES.mp3Audio, 'remux', ['container', 'audio-codec']],
    [SAMPLES.highBFrames, 'transcode', ['video-profile', 'b-frames', 'faststart']],
    [SAMPLES.hevc10, 'transcode', ['video-codec', 'b-frames', 'pixel-format', 'faststart']],
    [SAMPLES.yuv422, 'transcode', ['video-profile', 'b-frames', 'pixel-format', 'faststart']],
    [SAMPLES.noAudio, 'transcode', ['video-profile', 'b-frames', 'faststart']],
  ])('%s: %s', async (name, action, before) => {
    const output = at(join('out', `${name}.mp4`));
    const result = await fixVideo({ input: input(name), output });
    expect(result).toMatchObject({ action, beforeViolations: before, output });
    expect(result.afterVerdict.ok).toBe(true);
    await expectSafe(output);
  });

  it('copies a compliant file byte for byte and never changes an input', async () => {
    const hash = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
    const original = hash(input(SAMPLES.compliant));
    const output = at('out/copy.mp4');
    await fixVideo({ input: input(SAMPLES.compliant), output });
    expect(hash(output)).toBe(original);
    expect(hash(input(SAMPLES.compliant))).toBe(original);
  });

  it('copies the H.264 stream of a remux without re-encoding it', async () => {
    const output = at('out/remux-same.mp4');
    await fixVideo({ input: input(SAMPLES.moovAtEnd), output });
    const packets = (path: string) => ffprobe(['-select_streams', 'v:0', '-show_entries', 'packet=size', '-of', 'csv=p=0', path]);
    expect(packets(output)).toBe(packets(input(SAMPLES.moovAtEnd)));
  });

  it('applies rotation, so the output displays like the source without relying on players', async () => {
    const source = (await probe(input(SAMPLES.rotated))).video[0];
    expect(source).toMatchObject({ codedWidth: 320, codedHeight: 240, displayWidth: 240, displayHeight: 320 });
    expect([90, 270]).toContain(source?.rotation);
    const output = at('out/rotated.mp4');
    const result = await fixVideo({ input: input(SAMPLES.rotated), output });
    expect(result.after.video[0]).toMatchObject({ rotation: 0, displayWidth: 240, displayHeight: 320 });
    const { check } = await expectSafe(output);
    expect([check.width, check.height]).toEqual([240, 320]);
  });

  it('makes odd sizes even and 4:4:4 into 4:2:0', async () => {
    const output = at('out/odd.mp4');
    await fixVideo({ input: input(SAMPLES.oddSize), output });
    const { check } = await expectSafe(output);
    expect([check.width, check.height]).toEqual([320, 240]);
  });

  it('tone-maps HDR to 8-bit SDR BT.709', async () => {
    const source = await probe(input(SAMPLES.hdr));
    expect(source.video[0]?.hdr).toBe(true);
    const output = at('out/hdr.mp4');
    await fixVideo({ input: input(SAMPLES.hdr), output });
    await expectSafe(output);
    expect(ffprobe(['-select_streams', 'v:0', '-show_entries', 'stream=color_transfer,color_primaries', '-of', 'csv=p=0', output]).trim()).toBe('bt709,bt709');
  });

  it('keeps the timestamps of a variable frame rate source', async () => {
    const output = at('out/vfr.mp4');
    await fixVideo({ input: input(SAMPLES.vfr), output });
    await expectSafe(output);
    const times = (path: string) => ffprobe(['-select_streams', 'v:0', '-show_entries', 'frame=pts_time', '-of', 'csv=p=0', path]).split('\n').map((line) => line.replace(/,.*$/, '')).filter(Boolean);
    const source = times(input(SAMPLES.vfr));
    expect(source.length).toBeGreaterThan(20);
    expect(times(output)).toEqual(source);
  });

  it('thins a 240 fps source to 60 fps and tags a level whose limits hold what was written', async () => {
    const source = at('in-240fps.mp4');
    ffmpeg([
      '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=240', '-f', 'lavfi', '-i', 'sine=sample_rate=48000', '-t', '1', '-shortest',
      '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', source,
    ]);
    const output = at('out/240fps.mp4');
    const result = await fixVideo({ input: source, output });
    expect(result.action).toBe('transcode');
    await expectSafe(output);
    const [stream] = (JSON.parse(ffprobe(['-select_streams', 'v:0', '-count_frames', '-show_entries', 'stream=width,height,level,avg_frame_rate,nb_read_frames', '-of', 'json', output])) as {
      streams: { width: number; height: number; level: number; avg_frame_rate: string; nb_read_frames: string }[];
    }).streams;
    if (!stream) throw new Error('no video stream');
    const [num = 0, den = 1] = stream.avg_frame_rate.split('/').map(Number);
    const frameRate = num / den;
    expect(frameRate).toBeLessThanOrEqual(60.5);
    expect(Number(stream.nb_read_frames)).toBeGreaterThanOrEqual(58);
    expect(Number(stream.nb_read_frames)).toBeLessThanOrEqual(61);
    // H.264 Table A-1: macroblocks per second and per frame that each level allows.
    const limits: Record<number, { maxMbps: number; maxFs: number }> = {
      10: { maxMbps: 1485, maxFs: 99 }, 11: { maxMbps: 3000, maxFs: 396 }, 12: { maxMbps: 6000, maxFs: 396 }, 13: { maxMbps: 11880, maxFs: 396 },
      20: { maxMbps: 11880, maxFs: 396 }, 21: { maxMbps: 19800, maxFs: 792 }, 22: { maxMbps: 20250, maxFs: 1620 }, 30: { maxMbps: 40500, maxFs: 1620 },
      31: { maxMbps: 108000, maxFs: 3600 }, 32: { maxMbps: 216000, maxFs: 5120 }, 40: { maxMbps: 245760, maxFs: 8192 }, 41: { maxMbps: 245760, maxFs: 8192 },
    };
    const level = limits[stream.level];
    if (!level) throw new Error(`level_idc ${stream.level} is above 4.1`);
    const frameMbs = Math.ceil(stream.width / 16) * Math.ceil(stream.height / 16);
    expect(frameMbs).toBeLessThanOrEqual(level.maxFs);
    expect(frameMbs * frameRate).toBeLessThanOrEqual(level.maxMbps);
  });

  it('encodes Baseline when asked', async () => {
    const output = at('out/baseline.mp4');
    await fixVideo({ input: input(SAMPLES.highBFrames), output, h264Profile: 'baseline' });
    const { check } = await expectSafe(output);
    expect(check.profile).toMatch(/Baseline/);
  });

  it('fits a small cap, using most of it, and reports progress', async () => {
    const maxSizeBytes = 60_000;
    const events: ProgressEvent[] = [];
    const output = at('out/small-cap.mp4');
    const result = await fixVideo({ input: input(SAMPLES.highBFrames), output, profile: resolveProfile('whatsapp', { maxSizeBytes }), onProgress: (event) => events.push(event) });
    expect(result.action).toBe('transcode');
    expect(result.sizeBytes).toBeLessThanOrEqual(maxSizeBytes);
    expect(result.sizeBytes).toBeGreaterThan(maxSizeBytes * 0.6);
    await expectSafe(output, maxSizeBytes);
    // The source is over the cap: its audio is measured before the picture's budget is set.
    expect(events.map((event) => event.stage)).toEqual(expect.arrayContaining(['probe', 'measure', 'fix', 'verify']));
    expect(events.findIndex((event) => event.stage === 'measure')).toBeLessThan(events.findIndex((event) => event.stage === 'fix'));
    expect(Math.max(...events.map((event) => event.fraction ?? 0))).toBeGreaterThan(0.5);
  });

  it('re-encodes when a remux lands over the cap', async () => {
    // The MKV is compliant apart from its container; a cap just under its size leaves a remux too big.
    const source = await probe(input(SAMPLES.compliantMkv));
    const maxSizeBytes = Math.floor(source.sizeBytes * 0.98);
    const output = at('out/remux-over.mp4');
    const result = await fixVideo({ input: input(SAMPLES.compliantMkv), output, profile: resolveProfile('whatsapp', { maxSizeBytes }) });
    expect(result.action).toBe('transcode');
    await expectSafe(output, maxSizeBytes);
  });

  it('fails with cannot-fit, saying how long a clip can be, and leaves nothing behind', async () => {
    const output = at('out-fail/tiny.mp4');
    const error = await fixVideo({ input: input(SAMPLES.highBFrames), output, profile: resolveProfile('whatsapp', { maxSizeBytes: 30_000 }) }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TranscodeError);
    expect(error).toMatchObject({ code: 'cannot-fit', maxDurationSeconds: 1 });
    expect((error as Error).message).toMatch(/at most 1 s long/);
    expect(readdirSync(at('out-fail'))).toEqual([]);
  });

  it.each([
    [SAMPLES.notVideo, 'unreadable'],
    [SAMPLES.audioOnly, 'no-video'],
  ])('refuses %s with %s', async (name, code) => {
    await expect(fixVideo({ input: input(name), output: at(`out-fail/${name}.mp4`) })).rejects.toMatchObject({ code });
  });

  it('never writes over its input', async () => {
    await expect(fixVideo({ input: input(SAMPLES.moovAtEnd), output: input(SAMPLES.moovAtEnd) })).rejects.toMatchObject({ code: 'io' });
  });

  it('refuses an output that is its input under another name (a link)', async () => {
    const link = at('in-link.mp4');
    symlinkSync(input(SAMPLES.moovAtEnd), link);
    await expect(fixVideo({ input: input(SAMPLES.moovAtEnd), output: link })).rejects.toMatchObject({ code: 'io' });
  });

  it('reports a failed rename of the finished file as io with the cause, and leaves nothing behind', async () => {
    // A folder that is not empty where the output should go: the final rename cannot replace it.
    const output = at('out-rename/taken.mp4');
    mkdirSync(join(output, 'inside'), { recursive: true });
    const error = await fixVideo({ input: input(SAMPLES.compliant), output }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TranscodeError);
    expect(error).toMatchObject({ code: 'io', input: input(SAMPLES.compliant), cause: { code: expect.stringMatching(/^E/) as unknown } });
    expect(readdirSync(at('out-rename'))).toEqual(['taken.mp4']);
  });

  it('stops ffmpeg on abort and removes the partial output', async () => {
    const controller = new AbortController();
    const output = at('out-abort/aborted.mp4');
    const run = fixVideo({
      input: input(SAMPLES.hevc10),
      output,
      preset: 'veryslow',
      signal: controller.signal,
      onProgress: (event) => {
        if (event.stage === 'fix') controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'aborted' });
    expect(readdirSync(at('out-abort'))).toEqual([]);
  });

  it('stops while measuring the audio on abort and leaves nothing behind', async () => {
    const controller = new AbortController();
    const output = at('out-abort-measure/aborted.mp4');
    const run = fixVideo({
      input: input(SAMPLES.highBFrames),
      output,
      profile: resolveProfile('whatsapp', { maxSizeBytes: 60_000 }),
      signal: controller.signal,
      onProgress: (event) => {
        if (event.stage === 'measure') controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'aborted' });
    expect(readdirSync(at('out-abort-measure'))).toEqual([]);
  });

  it('kills ffmpeg after the timeout with code timeout and the stderr tail attached', async () => {
    const output = at('out-timeout/slow.mp4');
    const error = await fixVideo({ input: input(SAMPLES.hevc10), output, preset: 'veryslow', timeoutMs: 50 }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'timeout', timedOut: true });
    expect(readdirSync(at('out-timeout'))).toEqual([]);
  });
});
