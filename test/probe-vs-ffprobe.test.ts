import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe, type MediaFacts } from '@wavid/probe';
import { ffmpeg, ffprobeJson } from './support/tools.js';

/**
 * Files the probe has never seen, made here with ffmpeg in many shapes, and the probe's facts checked
 * against ffprobe's own reading of each (and against decoded picture types for B-frames).
 */
const PATTERN = ['-f', 'lavfi', '-i', 'testsrc2=size=SIZE:rate=25:duration=1.2'];
const TONE = ['-f', 'lavfi', '-i', 'sine=frequency=300:sample_rate=RATE:duration=1.2'];
const video = (size: string) => PATTERN.map((arg) => arg.replace('SIZE', size));
const tone = (rate: number) => TONE.map((arg) => arg.replace('RATE', String(rate)));

const CASES: Record<string, string[]> = {
  'high-bframes-moov-at-end.mp4': [...video('1280x720'), ...tone(48000), '-c:v', 'libx264', '-profile:v', 'high', '-bf', '2', '-pix_fmt', 'yuv420p', '-c:a', 'aac'],
  'baseline-mono-8k.3gp': [...video('176x144'), ...tone(8000), '-c:v', 'libx264', '-profile:v', 'baseline', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-ac', '1', '-f', '3gp', '-movflags', '+faststart'],
  'hevc-10bit.mp4': [...video('640x360'), '-c:v', 'libx265', '-x265-params', 'log-level=error', '-pix_fmt', 'yuv420p10le', '-tag:v', 'hvc1', '-movflags', '+faststart'],
  'surround-main.mp4': [...video('640x360'), ...tone(48000), '-filter_complex', '[1:a]pan=5.1|c0=c0|c1=c0|c2=c0|c3=c0|c4=c0|c5=c0[a]', '-map', '0:v', '-map', '[a]', '-c:v', 'libx264', '-profile:v', 'main', '-bf', '0', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-movflags', '+faststart'],
  'vp9-opus.webm': [...video('320x240'), ...tone(48000), '-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-c:a', 'libopus'],
  'h264-bframes.mkv': [...video('320x240'), ...tone(44100), '-c:v', 'libx264', '-profile:v', 'main', '-bf', '3', '-pix_fmt', 'yuv420p', '-c:a', 'aac'],
  'mpeg4-mp3.avi': [...video('320x240'), ...tone(44100), '-c:v', 'mpeg4', '-c:a', 'libmp3lame'],
  'h264-no-bframes.flv': [...video('320x240'), ...tone(44100), '-c:v', 'libx264', '-profile:v', 'baseline', '-pix_fmt', 'yuv420p', '-c:a', 'aac'],
  'yuv422.mov': [...video('320x240'), '-c:v', 'libx264', '-profile:v', 'high422', '-pix_fmt', 'yuv422p'],
  'fragmented-bframes.mp4': [...video('320x240'), '-c:v', 'libx264', '-profile:v', 'main', '-bf', '2', '-pix_fmt', 'yuv420p', '-movflags', 'frag_keyframe+empty_moov'],
  // A minute of faststart: ftyp, a moov larger than the probe's first read, an 8-byte free box, then the mdat.
  'faststart-minute.mp4': [
    '-f', 'lavfi', '-i', 'testsrc2=size=160x90:rate=25:duration=60', '-f', 'lavfi', '-i', 'sine=frequency=300:sample_rate=48000:duration=60',
    '-c:v', 'libx264', '-profile:v', 'main', '-bf', '0', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-movflags', '+faststart',
  ],
};

let folder: string;
const facts = new Map<string, MediaFacts>();

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'wavid-probe-'));
  await Promise.all(
    Object.entries(CASES).map(async ([name, args]) => {
      await ffmpeg([...args, join(folder, name)]);
      facts.set(name, await probe(join(folder, name)));
    }),
  );
}, 180_000);

afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

interface ProbedStream {
  codec_type: string;
  codec_name: string;
  profile?: string;
  width?: number;
  height?: number;
  pix_fmt?: string;
  channels?: number;
  sample_rate?: string;
}

describe.each(Object.keys(CASES))('%s', (name) => {
  it('agrees with ffprobe on codecs, sizes, profile, pixels and audio', async () => {
    const mine = facts.get(name);
    expect(mine?.problem).toBeNull();
    const theirs = (await ffprobeJson(join(folder, name))) as { streams: ProbedStream[]; format: { duration: string } };
    const theirVideo = theirs.streams.filter((stream) => stream.codec_type === 'video');
    const theirAudio = theirs.streams.filter((stream) => stream.codec_type === 'audio');
    expect(mine?.video.map((track) => track.codec)).toEqual(theirVideo.map((stream) => stream.codec_name));
    expect(mine?.audio.map((track) => track.codec)).toEqual(theirAudio.map((stream) => stream.codec_name));
    const [myVideo] = mine?.video ?? [];
    const [theirFirst] = theirVideo;
    expect([myVideo?.codedWidth, myVideo?.codedHeight]).toEqual([theirFirst?.width, theirFirst?.height]);
    if (myVideo?.codec === 'h264') expect(myVideo.profile?.name).toBe(theirFirst?.profile);
    if (theirFirst?.pix_fmt && myVideo?.codec !== 'mpeg4') {
      const depth = /p(\d+)(le|be)$/.exec(theirFirst.pix_fmt)?.[1] ?? '8';
      expect(myVideo?.bitDepth).toBe(Number(depth));
      expect(myVideo?.chromaFormat?.replace(/:/g, '')).toBe(/(420|422|444)/.exec(theirFirst.pix_fmt)?.[1]);
    }
    mine?.audio.forEach((track, index) => {
      expect(track.channels).toBe(theirAudio[index]?.channels);
      expect(track.sampleRate).toBe(Number(theirAudio[index]?.sample_rate));
    });
    expect(mine?.durationSeconds).toBeCloseTo(Number(theirs.format.duration), 0);
  });

  it('agrees with the decoded picture types on B-frames', async () => {
    const myVideo = facts.get(name)?.video[0];
    if (!myVideo || myVideo.codec === 'vp9' || myVideo.codec === 'mpeg4') return;
    const frames = (await ffprobeJson(join(folder, name), ['-select_streams', 'v:0', '-show_entries', 'frame=pict_type'])) as {
      frames: { pict_type: string }[];
    };
    expect(myVideo.bFrames).toBe(frames.frames.some((frame) => frame.pict_type === 'B'));
  });
});

describe('what the probe reads', () => {
  it('reads MP4 boxes itself and other containers through ffprobe', () => {
    expect(facts.get('high-bframes-moov-at-end.mp4')?.source).toBe('isobmff');
    expect(facts.get('yuv422.mov')?.source).toBe('isobmff');
    expect(facts.get('vp9-opus.webm')?.source).toBe('ffprobe');
    expect(facts.get('h264-no-bframes.flv')?.source).toBe('ffprobe');
  });

  it('names the containers', () => {
    const containers = Object.fromEntries([...facts].map(([name, file]) => [name, file.container]));
    expect(containers).toEqual({
      'high-bframes-moov-at-end.mp4': 'mp4',
      'baseline-mono-8k.3gp': '3gp',
      'hevc-10bit.mp4': 'mp4',
      'surround-main.mp4': 'mp4',
      'vp9-opus.webm': 'webm',
      'h264-bframes.mkv': 'mkv',
      'mpeg4-mp3.avi': 'avi',
      'h264-no-bframes.flv': 'flv',
      'yuv422.mov': 'mov',
      'fragmented-bframes.mp4': 'mp4',
      'faststart-minute.mp4': 'mp4',
    });
  });

  it('reads a faststart file up to its moov and the first samples\' headers, not the media data', () => {
    const faststart = [...facts.values()].filter((file) => file.moovBeforeMdat === true && file.sizeBytes > 256 * 1024);
    // Beyond the head and the moov: the headers of the boxes after it and of the first samples.
    expect(faststart.length).toBeGreaterThan(0);
    for (const file of faststart) {
      const moov = file.topLevelBoxes.find((box) => box.type === 'moov');
      expect(file.bytesRead, file.path).toBeLessThanOrEqual(16 * 1024 + (moov?.size ?? 0) + 2048);
    }
  });

  it('reads the moov at the end with a seek, not the media data', () => {
    const file = facts.get('high-bframes-moov-at-end.mp4');
    expect(file?.moovBeforeMdat).toBe(false);
    const moov = file?.topLevelBoxes.find((box) => box.type === 'moov');
    expect(file?.bytesRead).toBeLessThanOrEqual(16 * 1024 + (moov?.size ?? 0) + 1024);
    expect(file?.bytesRead).toBeLessThan((file?.sizeBytes ?? 0) / 4);
  });
});
