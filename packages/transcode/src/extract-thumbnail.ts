import { rename, rm } from 'node:fs/promises';
import { temporaryPathFor } from '@wavid/foundation';
import { defaultFfmpegPath } from './ffmpeg/ffmpeg-path.js';
import { runFfmpeg } from './ffmpeg/run-ffmpeg.js';
import { thumbnailJob } from './ffmpeg/thumbnail-args.js';

export interface ExtractThumbnailOptions {
  /** A video file. */
  input: string;
  /** Where the JPEG goes; written under a temporary name and renamed when complete. */
  output: string;
  /** Width in pixels. Default 320. */
  width?: number | undefined;
  signal?: AbortSignal | undefined;
  /** Default: `FFMPEG_PATH` or the bundled binary. */
  ffmpegPath?: string | undefined;
}

/** Writes the video's first frame as a JPEG. Rejects with a TranscodeError. */
export async function extractThumbnail(options: ExtractThumbnailOptions): Promise<void> {
  const temp = temporaryPathFor(options.output, 'partial.jpg');
  try {
    await runFfmpeg({
      binary: options.ffmpegPath ?? defaultFfmpegPath(),
      job: thumbnailJob(options.input, temp, options.width),
      timeoutMs: 60_000,
      signal: options.signal,
      label: options.input,
    });
    await rename(temp, options.output);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
