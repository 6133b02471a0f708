import { fileUrl, type MediaInput } from '@wavid/probe';
import type { AudioPlan, OutputContainer } from '../plan/plan-remediation.js';
import { aacArgs, outputChannels, outputSampleRate } from './audio-args.js';
import type { FfmpegJob } from './ffmpeg-job.js';
import { untrustedInput } from './untrusted-input.js';

export interface RemuxArgsOptions {
  /** The input's absolute path and the demuxer the probe found its bytes to be (see `demuxerFor`). */
  input: MediaInput;
  /** Absolute path of the MP4 to write. */
  output: string;
  audio: AudioPlan;
  /** Bitrate for audio that has to be re-encoded (non-AAC sources), bits per second. */
  audioBitrate: number;
  /** The container written. Default `mp4`. */
  container?: OutputContainer | undefined;
}

/**
 * A new MP4 around the same H.264 stream: the first real video stream (not cover art) copied, the chosen
 * audio track copied or re-encoded to AAC-LC, nothing else, moov first.
 */
export function remuxArgs(options: RemuxArgsOptions): FfmpegJob {
  const { audio } = options;
  const audioArgs =
    audio.kind === 'none'
      ? ['-an']
      : [
          '-map', `0:a:${audio.index}`,
          ...(audio.kind === 'copy'
            ? ['-c:a', 'copy']
            : aacArgs({ bitrate: options.audioBitrate, channels: outputChannels(audio.channels), sampleRate: outputSampleRate(audio.sampleRate) })),
        ];
  return {
    ...untrustedInput(options.input),
    outputArgs: [
      '-map', '0:V:0',
      '-c:v', 'copy',
      ...audioArgs,
      ...outputContainerArgs(options.container),
    ],
    output: fileUrl(options.output),
  };
}

/** The output arguments of every file wavid writes, in the container asked for (3GP takes the same streams). */
export function outputContainerArgs(container: OutputContainer = 'mp4'): string[] {
  return [...MP4_OUTPUT_ARGS.slice(0, -1), container];
}

/** Every MP4 wavid writes: no chapter text track, generous interleave queue for sparse audio, moov first. */
export const MP4_OUTPUT_ARGS: readonly string[] = [
  '-map_chapters', '-1',
  '-max_muxing_queue_size', '1024',
  '-movflags', '+faststart',
  '-f', 'mp4',
];
