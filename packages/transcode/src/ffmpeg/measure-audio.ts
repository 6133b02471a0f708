import { fileUrl, type MediaInput } from '@wavid/probe';
import type { AudioPlan } from '../plan/plan-remediation.js';
import { aacArgs, outputChannels, outputSampleRate } from './audio-args.js';
import type { FfmpegJob } from './ffmpeg-job.js';
import { untrustedInput } from './untrusted-input.js';

export interface AudioMeasureArgsOptions {
  input: MediaInput;
  /** Absolute path of the ADTS file to write (a temporary name; only its size matters). */
  output: string;
  audio: Extract<AudioPlan, { kind: 'encode' | 'copy' }>;
  audioBitrate: number;
}

/**
 * The audio of a transcode on its own, with the very AAC settings the transcode uses, as ADTS. AAC
 * encoders fall short of their bitrate on simple sound (a pure tone takes about half of it), and what
 * the audio leaves unused the picture can have. Decoding and encoding the sound alone takes a second
 * or two a minute.
 */
export function audioMeasureArgs(options: AudioMeasureArgsOptions): FfmpegJob {
  const { audio } = options;
  return {
    ...untrustedInput(options.input),
    outputArgs: [
      '-map', `0:a:${audio.index}`,
      '-vn', '-sn', '-dn',
      ...aacArgs({ bitrate: options.audioBitrate, channels: outputChannels(audio.channels), sampleRate: outputSampleRate(audio.sampleRate) }),
      '-f', 'adts',
    ],
    output: fileUrl(options.output),
  };
}

/**
 * Bytes of AAC payload in an ADTS stream: what the same frames take in an MP4 track, headers left out.
 * Null when the bytes are not a run of whole ADTS frames. Pure.
 */
export function adtsPayloadBytes(bytes: Uint8Array): number | null {
  let payload = 0;
  let at = 0;
  while (at < bytes.length) {
    if (at + 7 > bytes.length) return null;
    const b1 = bytes[at + 1] ?? 0;
    if (bytes[at] !== 0xff || (b1 & 0xf0) !== 0xf0) return null;
    const headerBytes = (b1 & 0x01) === 1 ? 7 : 9;
    const frameBytes = (((bytes[at + 3] ?? 0) & 0x03) << 11) | ((bytes[at + 4] ?? 0) << 3) | ((bytes[at + 5] ?? 0) >> 5);
    if (frameBytes < headerBytes || at + frameBytes > bytes.length) return null;
    payload += frameBytes - headerBytes;
    at += frameBytes;
  }
  return payload;
}
