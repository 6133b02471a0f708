import type { FfmpegJob } from './ffmpeg-job.js';

/**
 * The first frame as a JPEG `width` pixels wide, turned the way players turn it (ffmpeg applies the
 * display rotation when decoding), the way WhatsApp shows a video before it is played.
 */
export function thumbnailJob(input: string, output: string, width = 320): FfmpegJob {
  return {
    inputArgs: [],
    input,
    outputArgs: ['-an', '-frames:v', '1', '-vf', `scale=${width}:-2`, '-q:v', '4', '-f', 'image2', '-c:v', 'mjpeg'],
    output,
  };
}
