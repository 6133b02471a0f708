import { fileUrl, type MediaInput } from '@wavid/probe';
import type { FfmpegJob } from './ffmpeg-job.js';
import { untrustedInput } from './untrusted-input.js';

export interface ThumbnailJobOptions {
  /** The video's absolute path and the demuxer the probe found its bytes to be (see `demuxerFor`). */
  input: MediaInput;
  /** Absolute path of the JPEG. */
  output: string;
  /** Width in pixels. Default 320. */
  width?: number | undefined;
}

/**
 * The first frame as a JPEG `width` pixels wide, turned the way players turn it (ffmpeg applies the
 * display rotation when decoding), the way WhatsApp shows a video before it is played.
 */
export function thumbnailJob(options: ThumbnailJobOptions): FfmpegJob {
  const width = options.width ?? 320;
  if (!Number.isInteger(width) || width < 16 || width > 4096) throw new TypeError(`width must be a whole number from 16 to 4096; got ${width}`);
  return {
    ...untrustedInput(options.input),
    // `-update 1`: one picture under exactly this name, never a numbered sequence made from a `%d` in it.
    outputArgs: ['-an', '-frames:v', '1', '-vf', `scale=${width}:-2`, '-q:v', '4', '-f', 'image2', '-update', '1', '-c:v', 'mjpeg'],
    output: fileUrl(options.output),
  };
}
