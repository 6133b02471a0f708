import type { AacObjectType, AudioTrackFacts, ChromaFormat, H264Profile, VideoTrackFacts } from '../media-facts.js';

/** The parts of `ffprobe -show_format -show_streams -print_format json` the probe reads. */
export interface FfprobeOutput {
  format?: { format_name?: string; duration?: string; probe_score?: number };
  streams?: FfprobeStream[];
}

export interface FfprobeStream {
  index?: number;
  codec_type?: string;
  codec_name?: string;
  codec_tag_string?: string;
  profile?: string;
  level?: number;
  width?: number;
  height?: number;
  sample_aspect_ratio?: string;
  pix_fmt?: string;
  bits_per_raw_sample?: string;
  color_transfer?: string;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  nb_frames?: string;
  duration?: string;
  channels?: number;
  sample_rate?: string;
  disposition?: { attached_pic?: number };
  tags?: Record<string, string>;
  side_data_list?: { side_data_type?: string; rotation?: number }[];
}

export interface StreamFacts {
  formatName: string | null;
  probeScore: number | null;
  durationSeconds: number | null;
  video: VideoTrackFacts[];
  audio: AudioTrackFacts[];
}

const H264_PROFILE_IDC: Record<string, number> = {
  Baseline: 66, 'Constrained Baseline': 66, Main: 77, Extended: 88, High: 100, 'Progressive High': 100, 'Constrained High': 100,
  'High 10': 110, 'High 10 Intra': 110, 'High 4:2:2': 122, 'High 4:2:2 Intra': 122, 'High 4:4:4 Predictive': 244, 'High 4:4:4 Intra': 244,
};

const AAC_PROFILES: Record<string, AacObjectType> = { LC: 'LC', 'HE-AAC': 'HE', 'HE-AACv2': 'HEv2', Main: 'Main', LTP: 'LTP', SSR: 'SSR' };

/** Maps ffprobe's JSON into the probe's track facts. Cover art (attached pictures) is not a video track. */
export function factsFromFfprobe(output: FfprobeOutput): StreamFacts {
  const streams = output.streams ?? [];
  const video = streams
    .filter((stream) => stream.codec_type === 'video' && stream.disposition?.attached_pic !== 1)
    .map(videoFacts);
  const audio = streams.filter((stream) => stream.codec_type === 'audio').map(audioFacts);
  return {
    formatName: output.format?.format_name ?? null,
    probeScore: output.format?.probe_score ?? null,
    durationSeconds: positiveNumber(output.format?.duration),
    video,
    audio,
  };
}

function videoFacts(stream: FfprobeStream): VideoTrackFacts {
  const codec = stream.codec_name ?? 'unknown';
  const codedWidth = stream.width ?? 0;
  const codedHeight = stream.height ?? 0;
  const rotation = rotationOf(stream);
  const aspect = ratio(stream.sample_aspect_ratio, ':') ?? 1;
  const width = Math.round(codedWidth * (aspect > 0 ? aspect : 1));
  const { chromaFormat, bitDepth } = pixelFormat(stream.pix_fmt, stream.bits_per_raw_sample);
  const averageRate = ratio(stream.avg_frame_rate, '/');
  const baseRate = ratio(stream.r_frame_rate, '/');
  const durationSeconds = positiveNumber(stream.duration);
  return {
    trackId: stream.index ?? 0,
    codec,
    codecTag: stream.codec_tag_string && !stream.codec_tag_string.startsWith('[') ? stream.codec_tag_string : null,
    profile: codec === 'h264' ? h264ProfileFromName(stream.profile) : null,
    level: levelOf(codec, stream.level),
    codedWidth,
    codedHeight,
    displayWidth: rotation % 180 === 0 ? width : codedHeight,
    displayHeight: rotation % 180 === 0 ? codedHeight : width,
    rotation,
    frameRate: averageRate ?? baseRate,
    // r_frame_rate is the lowest rate that represents every timestamp; far from the average means varying durations.
    variableFrameRate: averageRate !== null && baseRate !== null && Math.abs(baseRate - averageRate) > averageRate * 0.1,
    bitDepth,
    chromaFormat,
    bFrames: null,
    hdr: stream.color_transfer === 'smpte2084' || stream.color_transfer === 'arib-std-b67',
    sampleCount: Number(stream.nb_frames ?? 0) || 0,
    durationSeconds,
    // ffprobe does not say; a container other than MP4 or MOV has one codec description per track.
    sampleDescriptions: { count: 1, copiesOfFirst: true },
  };
}

function audioFacts(stream: FfprobeStream): AudioTrackFacts {
  const codec = stream.codec_name ?? 'unknown';
  return {
    trackId: stream.index ?? 0,
    codec,
    codecTag: stream.codec_tag_string && !stream.codec_tag_string.startsWith('[') ? stream.codec_tag_string : null,
    aacObjectType: codec === 'aac' ? (AAC_PROFILES[stream.profile ?? ''] ?? 'other') : null,
    channels: stream.channels ?? null,
    sampleRate: positiveNumber(stream.sample_rate),
    durationSeconds: positiveNumber(stream.duration),
    sampleDescriptions: { count: 1, copiesOfFirst: true },
  };
}

function h264ProfileFromName(name: string | undefined): H264Profile | null {
  if (!name) return null;
  const idc = H264_PROFILE_IDC[name];
  if (idc === undefined) return { name, idc: 0, constraintFlags: 0 };
  return { name, idc, constraintFlags: name === 'Constrained Baseline' ? 0x40 : 0 };
}

function levelOf(codec: string, level: number | undefined): number | null {
  if (level === undefined || level <= 0) return null;
  if (codec === 'h264') return level === 9 ? 1.05 : level / 10;
  if (codec === 'hevc') return level / 30;
  return null;
}

/** Chroma format and bit depth from a pixel format name such as `yuv420p`, `yuvj422p` or `yuv420p10le`. */
export function pixelFormat(pixFmt: string | undefined, bitsPerRawSample?: string): { chromaFormat: ChromaFormat | null; bitDepth: number | null } {
  if (!pixFmt) return { chromaFormat: null, bitDepth: null };
  const depthFromName = /p(\d+)(le|be)?$/.exec(pixFmt)?.[1];
  const bitDepth = depthFromName ? Number(depthFromName) : Number(bitsPerRawSample) || 8;
  if (/^(gray|ya?\d+)/.test(pixFmt)) return { chromaFormat: '4:0:0', bitDepth };
  if (/^(nv12|nv21)/.test(pixFmt)) return { chromaFormat: '4:2:0', bitDepth: 8 };
  const packedDepth = /^p0(10|12|16)/.exec(pixFmt)?.[1];
  if (packedDepth) return { chromaFormat: '4:2:0', bitDepth: Number(packedDepth) };
  const chroma = /^yuva?j?(420|422|444|411|440)/.exec(pixFmt)?.[1];
  const formats: Record<string, ChromaFormat> = { '420': '4:2:0', '422': '4:2:2', '444': '4:4:4' };
  return { chromaFormat: chroma ? (formats[chroma] ?? null) : null, bitDepth };
}

function rotationOf(stream: FfprobeStream): number {
  const matrixRotation = stream.side_data_list?.find((side) => side.side_data_type === 'Display Matrix')?.rotation;
  // ffprobe's display matrix angle is counter-clockwise; the rotate tag is clockwise.
  const degrees = matrixRotation !== undefined ? -matrixRotation : Number(stream.tags?.rotate ?? 0);
  if (!Number.isFinite(degrees)) return 0;
  return ((Math.round(degrees / 90) * 90) % 360 + 360) % 360;
}

function ratio(text: string | undefined, separator: string): number | null {
  if (!text) return null;
  const [top, bottom] = text.split(separator).map(Number);
  if (top === undefined || bottom === undefined || !Number.isFinite(top) || !Number.isFinite(bottom) || bottom === 0 || top === 0) return null;
  return top / bottom;
}

function positiveNumber(text: string | undefined): number | null {
  const value = Number(text);
  return Number.isFinite(value) && value > 0 ? value : null;
}

/** B-frames from decoded picture types: any `B` among them. Null when no frame decoded. */
export function bFramesFromPictureTypes(types: readonly string[]): boolean | null {
  if (types.length === 0) return null;
  return types.includes('B');
}
