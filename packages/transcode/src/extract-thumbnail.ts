import { rename, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { temporaryPathFor } from '@wavid/foundation';
import { demuxerFor, probe, type MediaFacts } from '@wavid/probe';
import { TranscodeError } from './errors.js';
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
  /** The input's facts when the caller has probed it already; else it is probed here. */
  facts?: MediaFacts | undefined;
  signal?: AbortSignal | undefined;
  /** Default: `FFMPEG_PATH` or the bundled binary. */
  ffmpegPath?: string | undefined;
  /** Default: `FFPROBE_PATH` or the bundled binary. */
  ffprobePath?: string | undefined;
}

/**
 * Writes the video's first frame as a JPEG. Only a file the probe identified as a video is decoded: any
 * other rejects with TranscodeError `unreadable` (or `no-video`) before ffmpeg runs. Rejects with a TranscodeError.
 */
export async function extractThumbnail(options: ExtractThumbnailOptions): Promise<void> {
  const input = resolve(options.input);
  const output = resolve(options.output);
  const facts = options.facts ?? (await probe(input, { signal: options.signal, ffprobePath: options.ffprobePath }).catch((error: unknown) => {
    throw new TranscodeError('io', `cannot read ${options.input}: ${error instanceof Error ? error.message : String(error)}`, { input: options.input, cause: error });
  }));
  const demuxer = demuxerFor(facts);
  if (demuxer === null) throw new TranscodeError('unreadable', `no picture is taken from a file that is not readable media: ${facts.problem?.message ?? 'unknown container'}`, { input: options.input });
  if (facts.video.length === 0) throw new TranscodeError('no-video', 'the file has no video track to take a picture from', { input: options.input });
  const temp = temporaryPathFor(output, 'partial.jpg');
  try {
    await runFfmpeg({
      binary: options.ffmpegPath ?? defaultFfmpegPath(),
      job: thumbnailJob({ input: { path: input, demuxer }, output: temp, width: options.width }),
      timeoutMs: 60_000,
      signal: options.signal,
      label: options.input,
    });
    await rename(temp, output);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
