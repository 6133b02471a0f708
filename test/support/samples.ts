import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultFfprobePath } from '@wavid/probe';
import { defaultFfmpegPath } from '@wavid/transcode';

/** Short, small clips covering every violation, made with the bundled ffmpeg. */
export const SAMPLES = {
  compliant: 'compliant.mp4',
  moovAtEnd: 'moov-at-end.mp4',
  compliantMkv: 'compliant.mkv',
  twoAudio: 'two-audio.mp4',
  mp3Audio: 'mp3-audio.mkv',
  highBFrames: 'high-b-frames.mp4',
  hevc10: 'hevc-10bit.mp4',
  hdr: 'hdr-pq.mp4',
  yuv422: 'yuv422.mp4',
  rotated: 'rotated-90.mp4',
  oddSize: 'odd-size.mp4',
  vfr: 'vfr.mp4',
  noAudio: 'no-audio.mp4',
  audioOnly: 'audio-only.m4a',
  notVideo: 'notes.mp4',
} as const;

const INPUTS = ['-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000'];
const TWO_SECONDS = ['-t', '2', '-shortest'];
const SOURCE = [...INPUTS, ...TWO_SECONDS];
const MAIN = ['-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', 'main', '-bf', '0', '-pix_fmt', 'yuv420p'];
const HIGH = ['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p'];
const AAC = ['-c:a', 'aac', '-b:a', '64k'];

export function ffmpeg(args: readonly string[]): void {
  execFileSync(defaultFfmpegPath(), ['-hide_banner', '-v', 'error', '-y', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
}

export function ffprobe(args: readonly string[]): string {
  return execFileSync(defaultFfprobePath(), ['-v', 'error', ...args], { encoding: 'utf8' });
}

/** Writes every sample into `dir`. About ten seconds on two cores. */
export function makeSamples(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const at = (name: string) => join(dir, name);
  ffmpeg([...SOURCE, ...MAIN, ...AAC, '-movflags', '+faststart', at(SAMPLES.compliant)]);
  ffmpeg([...SOURCE, ...MAIN, ...AAC, at(SAMPLES.moovAtEnd)]);
  ffmpeg([...SOURCE, ...MAIN, ...AAC, at(SAMPLES.compliantMkv)]);
  ffmpeg([
    ...INPUTS, '-f', 'lavfi', '-i', 'sine=frequency=880:sample_rate=44100', ...TWO_SECONDS, '-map', '0:v', '-map', '1:a', '-map', '2:a',
    ...MAIN, ...AAC, '-movflags', '+faststart', at(SAMPLES.twoAudio),
  ]);
  ffmpeg([...SOURCE, ...MAIN, '-c:a', 'libmp3lame', at(SAMPLES.mp3Audio)]);
  ffmpeg([...SOURCE, ...HIGH, ...AAC, at(SAMPLES.highBFrames)]);
  ffmpeg([...SOURCE, '-c:v', 'libx265', '-preset', 'ultrafast', '-x265-params', 'log-level=error', '-pix_fmt', 'yuv420p10le', '-tag:v', 'hvc1', ...AAC, at(SAMPLES.hevc10)]);
  ffmpeg([
    ...SOURCE, '-c:v', 'libx265', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p10le', '-tag:v', 'hvc1',
    '-x265-params', 'log-level=error:colorprim=bt2020:transfer=smpte2084:colormatrix=bt2020nc',
    '-color_primaries', 'bt2020', '-color_trc', 'smpte2084', '-colorspace', 'bt2020nc', ...AAC, '-movflags', '+write_colr', at(SAMPLES.hdr),
  ]);
  ffmpeg([...SOURCE, '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv422p', ...AAC, at(SAMPLES.yuv422)]);
  // ffmpeg writes the rotation matrix only when it copies the stream, as a phone's file would carry it.
  ffmpeg(['-i', at(SAMPLES.highBFrames), '-c', 'copy', '-metadata:s:v:0', 'rotate=90', at(SAMPLES.rotated)]);
  ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=321x241:rate=25', '-t', '2', '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv444p', at(SAMPLES.oddSize)]);
  // Frames kept at irregular moments: 60 fps timestamps with gaps.
  ffmpeg([
    '-f', 'lavfi', '-i', "testsrc2=size=320x240:rate=60,select='lt(mod(n\\,10)\\,3)+eq(mod(n\\,7)\\,0)'", '-f', 'lavfi', '-i', 'sine=sample_rate=48000',
    '-t', '2', '-shortest', '-vsync', 'vfr', ...HIGH, ...AAC, at(SAMPLES.vfr),
  ]);
  ffmpeg([...SOURCE, '-an', ...HIGH, at(SAMPLES.noAudio)]);
  ffmpeg(['-f', 'lavfi', '-i', 'sine=sample_rate=48000', '-t', '2', ...AAC, at(SAMPLES.audioOnly)]);
  writeFileSync(at(SAMPLES.notVideo), 'not a video, just text\n'.repeat(50));
}

/** Top-level box types of an MP4, in file order, read from the box headers. */
export function topLevelBoxes(bytes: Buffer): string[] {
  const types: string[] = [];
  for (let offset = 0; offset + 8 <= bytes.length; ) {
    let size = bytes.readUInt32BE(offset);
    if (size === 1) size = Number(bytes.readBigUInt64BE(offset + 8));
    if (size === 0) size = bytes.length - offset;
    types.push(bytes.toString('latin1', offset + 4, offset + 8));
    if (size < 8) break;
    offset += size;
  }
  return types;
}

/** What ffprobe, independently of wavid's own reader, says about the first video stream and every frame. */
export function independentCheck(path: string): { profile: string; pixFmt: string; width: number; height: number; pictTypes: string[]; audioStreams: number; audioCodecs: string[] } {
  const streams = JSON.parse(ffprobe(['-print_format', 'json', '-show_streams', path])) as {
    streams: { codec_type: string; codec_name: string; profile?: string; pix_fmt?: string; width?: number; height?: number }[];
  };
  const video = streams.streams.find((stream) => stream.codec_type === 'video');
  const audio = streams.streams.filter((stream) => stream.codec_type === 'audio');
  const frames = ffprobe(['-select_streams', 'v:0', '-show_entries', 'frame=pict_type', '-of', 'csv=p=0', path]);
  return {
    profile: `${video?.codec_name ?? '?'} ${video?.profile ?? '?'}`,
    pixFmt: video?.pix_fmt ?? '?',
    width: video?.width ?? 0,
    height: video?.height ?? 0,
    pictTypes: [...new Set(frames.split('\n').map((line) => line.trim().replace(/,$/, '')).filter(Boolean))],
    audioStreams: audio.length,
    audioCodecs: audio.map((stream) => `${stream.codec_name} ${stream.profile ?? ''}`.trim()),
  };
}
