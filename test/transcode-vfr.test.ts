import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultFfprobePath } from '@wavid/probe';
import { defaultFfmpegPath, fixVideo } from '@wavid/transcode';
import { makeVfrClip, VFR_FRAMES, type VfrTiming } from './support/vfr-clips.js';

// Every transcode keeps each frame of a variable frame rate source at its own moment, with either ffmpeg
// wavid meets in practice: the bundled static build (4.1) and Debian's (5.1).
const DEBIAN_FFMPEG = '/usr/bin/ffmpeg';
const inCi = process.env.CI !== undefined && !['', '0', 'false'].includes(process.env.CI.toLowerCase());
const binaries: { name: string; path: string }[] = [{ name: 'the bundled ffmpeg', path: defaultFfmpegPath() }];
if (existsSync(DEBIAN_FFMPEG) || inCi) binaries.push({ name: "Debian's ffmpeg", path: DEBIAN_FFMPEG });
else console.warn(`skipping the variable frame rate tests with Debian's ffmpeg: ${DEBIAN_FFMPEG} is not installed (apt-get install ffmpeg)`);

interface TrackTiming {
  /** Presentation times of the frames (or audio packets), seconds, in presentation order. */
  times: number[];
  /** When the last one stops being shown (or heard): its start plus its duration, seconds. */
  end: number;
}

function timing(path: string, stream: 'v:0' | 'a:0'): TrackTiming {
  const json = execFileSync(defaultFfprobePath(), ['-v', 'error', '-select_streams', stream, '-show_entries', 'stream=time_base:packet=pts,duration', '-of', 'json', path], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  const parsed = JSON.parse(json) as { streams: { time_base: string }[]; packets: { pts: number; duration?: number }[] };
  const [num = 0, den = 1] = (parsed.streams[0]?.time_base ?? '0/1').split('/').map(Number);
  const packets = parsed.packets.map((packet) => ({ start: (packet.pts * num) / den, end: ((packet.pts + (packet.duration ?? 0)) * num) / den })).sort((a, b) => a.start - b.start);
  return { times: packets.map((packet) => packet.start), end: Math.max(...packets.map((packet) => packet.end)) };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'wavid-vfr-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe.each(binaries)('variable frame rate with $name', ({ path: ffmpegPath }) => {
  const cases: { timing: VfrTiming; audio: boolean }[] = [
    { timing: 'phone', audio: true },
    { timing: 'phone', audio: false },
    { timing: 'screen', audio: true },
    { timing: 'screen', audio: false },
  ];
  it.each(cases)('keeps every frame, its time and the length of a $timing clip (audio: $audio)', async ({ timing: kind, audio }) => {
    if (!existsSync(ffmpegPath)) throw new Error(`${ffmpegPath} is not installed (apt-get install ffmpeg)`);
    const work = join(dir, `${ffmpegPath.replace(/\W+/g, '-')}-${kind}-${audio}`);
    mkdirSync(work, { recursive: true });
    const input = makeVfrClip({ ffmpegPath, dir: work, timing: kind, audio });
    const source = timing(input, 'v:0');
    expect(source.times).toHaveLength(VFR_FRAMES[kind]);
    const gaps = source.times.slice(1).map((time, index) => time - (source.times[index] ?? 0));
    // The clip is as irregular as intended, else the test proves nothing.
    expect(Math.max(...gaps) / Math.min(...gaps)).toBeGreaterThan(kind === 'screen' ? 50 : 1.5);

    const output = join(work, 'out.mp4');
    const result = await fixVideo({ input, output, ffmpegPath });
    expect(result.action).toBe('transcode');
    expect(result.afterVerdict.ok).toBe(true);

    const written = timing(output, 'v:0');
    expect(written.times).toHaveLength(source.times.length);
    const worst = Math.max(...written.times.map((time, index) => Math.abs(time - (source.times[index] ?? Infinity))));
    expect(worst).toBeLessThanOrEqual(0.001);
    // The last frame is shown as long as in the source: the clip does not end early.
    expect(Math.abs(written.end - source.end)).toBeLessThanOrEqual(0.001);

    if (audio) {
      const sourceAudio = timing(input, 'a:0');
      const writtenAudio = timing(output, 'a:0');
      // Audio starts with the picture and lasts as long, within one AAC frame.
      expect(Math.abs((writtenAudio.times[0] ?? Infinity) - (sourceAudio.times[0] ?? 0))).toBeLessThanOrEqual(0.001);
      expect(Math.abs(writtenAudio.end - sourceAudio.end)).toBeLessThanOrEqual(1024 / 48_000);
    } else {
      expect(result.after.audio).toEqual([]);
    }
  });
});
