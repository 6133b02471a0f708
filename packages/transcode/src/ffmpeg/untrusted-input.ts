import { fileUrl, openInputArgs, type MediaInput } from '@wavid/probe';
import type { FfmpegJob } from './ffmpeg-job.js';

/**
 * How every wavid job opens its input: no banner, no keyboard, only the file protocol, the demuxer forced
 * to the container the probe found, and the path as a `file:` URL (a name like `http:x?y.mp4` stays a name).
 */
export function untrustedInput(input: MediaInput): Pick<FfmpegJob, 'inputArgs' | 'input'> {
  return { inputArgs: ['-hide_banner', '-nostdin', ...openInputArgs(input)], input: fileUrl(input.path) };
}
