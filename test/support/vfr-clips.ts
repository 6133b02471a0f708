import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { defaultFfprobePath } from '@wavid/probe';

/** Frame timing of a generated variable frame rate clip. */
export type VfrTiming = 'phone' | 'screen';

/**
 * Seconds each frame lasts, as an ffmpeg expression evaluated once per frame. `random(2)` is a seeded
 * generator (its state lives in variable 2), so every run writes the same timestamps.
 * - phone: 30 fps with a few milliseconds of jitter and, now and then, a dropped frame (a double gap).
 * - screen: a screen recorder that writes a frame only when something changes: 5 ms to 1.5 s, log-uniform.
 */
const FRAME_SECONDS: Record<VfrTiming, string> = {
  phone: 'st(4,random(2));st(5,random(2));1/30+0.008*(ld(4)-0.5)+if(lt(ld(5),0.07),1/30,0)',
  screen: '0.005*exp(random(2)*log(300))',
};

export const VFR_FRAMES: Record<VfrTiming, number> = { phone: 90, screen: 63 };

/**
 * Writes an H.264 High MP4 (so a fix must re-encode it) whose frames carry the given irregular timing on a
 * 1/90000 clock, as Android phones write it. Every sample's duration in the MP4 is real, the last one
 * included: one frame more than wanted is encoded and the copy stops before it, so the muxer knows when
 * the last kept frame ends. With audio, a tone covers the video from start to end.
 */
export function makeVfrClip(options: { ffmpegPath: string; dir: string; timing: VfrTiming; audio: boolean }): string {
  const { dir, timing } = options;
  const ffmpeg = (args: string[]) => execFileSync(options.ffmpegPath, ['-hide_banner', '-v', 'error', '-y', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  const frames = VFR_FRAMES[timing];
  const name = `vfr-${timing}${options.audio ? '' : '-silent'}`;
  const encoded = join(dir, `${name}.encoded.mp4`);
  // The end of the last frame is carried by the timestamps themselves: frame N starts at the sum of
  // the durations before it (variable 0 holds the running sum, variable 1 the frame's own start).
  ffmpeg([
    '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=30',
    '-vf', `settb=1/90000,setpts='st(1,ld(0));st(0,ld(0)+(${FRAME_SECONDS[timing]}));ld(1)/TB'`,
    '-frames:v', String(frames + 1), '-vsync', 'passthrough', '-enc_time_base:v', '1:90000', '-video_track_timescale', '90000',
    '-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', 'high', '-bf', '0', '-pix_fmt', 'yuv420p', encoded,
  ]);
  const video = join(dir, `${name}${options.audio ? '.video' : ''}.mp4`);
  ffmpeg(['-i', encoded, '-map', '0:v', '-c', 'copy', '-frames:v', String(frames), video]);
  rmSync(encoded);
  if (!options.audio) return video;

  const seconds = execFileSync(defaultFfprobePath(), ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=duration', '-of', 'csv=p=0', video], { encoding: 'utf8' }).trim();
  const tone = join(dir, `${name}.m4a`);
  ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-t', seconds, '-c:a', 'aac', '-b:a', '64k', tone]);
  const clip = join(dir, `${name}.mp4`);
  ffmpeg(['-i', video, '-i', tone, '-map', '0:v', '-map', '1:a', '-c', 'copy', clip]);
  rmSync(video);
  rmSync(tone);
  return clip;
}
