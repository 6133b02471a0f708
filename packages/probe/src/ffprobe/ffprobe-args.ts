import { isAbsolute } from 'node:path';

/** A file for ffprobe or ffmpeg: an absolute path and the demuxer its bytes were sniffed as. */
export interface MediaInput {
  path: string;
  demuxer: string;
}

/**
 * The arguments that open an untrusted input: only the file protocol, the demuxer forced, and the
 * path as a `file:` URL, so a name such as `http:host?x.mp4` is never read as a URL.
 */
export function mediaInputArgs(input: MediaInput): string[] {
  return [...openInputArgs(input), '-i', fileUrl(input.path)];
}

/** What goes before `-i`: only the file protocol, and the demuxer forced. */
export function openInputArgs(input: MediaInput): string[] {
  if (!/^[a-z0-9_]+$/.test(input.demuxer)) throw new TypeError(`input.demuxer must be an ffmpeg demuxer name; got '${input.demuxer}'`);
  return ['-protocol_whitelist', 'file', '-f', input.demuxer];
}

/** An absolute path as a `file:` URL for ffmpeg (which does not decode `%` or cut at `?` in it). */
export function fileUrl(path: string): string {
  if (!isAbsolute(path)) throw new TypeError(`path must be absolute; got '${path}'`);
  return `file:${path}`;
}

/** Container and stream facts as JSON. */
export function streamInfoArgs(input: MediaInput): string[] {
  return ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', ...mediaInputArgs(input)];
}

/**
 * The picture types of the first frames of the first video stream, decoded. Enough frames to pass
 * a typical GOP's opening, few enough to stay fast.
 */
export function frameTypeArgs(input: MediaInput, frames = 48): string[] {
  return [
    '-v', 'error',
    '-select_streams', 'v:0',
    '-read_intervals', `%+#${frames}`,
    '-show_entries', 'frame=pict_type',
    '-print_format', 'json',
    ...mediaInputArgs(input),
  ];
}
