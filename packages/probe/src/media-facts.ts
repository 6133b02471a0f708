/** Why a file could not be read as media. Stable codes: reports and callers branch on them. */
export type UnreadableReason =
  | 'empty'
  | 'not-media'
  | 'truncated'
  | 'corrupt'
  | 'unsupported'
  | 'timeout';

export interface UnreadableProblem {
  reason: UnreadableReason;
  /** What is wrong with the file, for a person. */
  message: string;
}

/** A top-level box of an ISO-BMFF file, in file order. */
export interface TopLevelBox {
  type: string;
  offset: number;
  size: number;
  /** Bytes of the header: 8, or 16 when the size is written as a 64-bit "largesize" (24 and 32 for `uuid`). */
  headerSize: number;
}

export interface FileBrand {
  major: string;
  minorVersion: number;
  compatible: string[];
}

/** `h264`, `hevc`, `vp9`, `av1`, `mpeg4`... (ffmpeg's codec names where one exists). */
export type CodecName = string;

export interface H264Profile {
  /** `Baseline`, `Constrained Baseline`, `Main`, `Extended`, `High`, `High 10`... */
  name: string;
  /** profile_idc from the SPS. */
  idc: number;
  /** The constraint_set flags byte from the SPS (constraint_set0 is the top bit). */
  constraintFlags: number;
}

/**
 * The sample descriptions (`stsd` entries) of a track. Each sample names the one it is coded with; the
 * probe's codec facts come from the first. Tracks read by ffprobe count as having one.
 */
export interface SampleDescriptions {
  /** Entries in the track's `stsd` box: one in files every common muxer writes. */
  count: number;
  /** Every entry after the first repeats it byte for byte, so the facts read from the first hold for every sample. */
  copiesOfFirst: boolean;
}

export type ChromaFormat = '4:0:0' | '4:2:0' | '4:2:2' | '4:4:4';

export interface VideoTrackFacts {
  trackId: number;
  codec: CodecName;
  /** Sample entry or codec tag as stored (`avc1`, `hvc1`, `dvh1`...), when known. */
  codecTag: string | null;
  /** H.264 only; null for other codecs or when the SPS is missing. */
  profile: H264Profile | null;
  /** Level as a number (3.1, 4, 1.1...); `1b` is reported as 1.05. Null when unknown. */
  level: number | null;
  /** Size of the decoded picture. */
  codedWidth: number;
  codedHeight: number;
  /** Size the viewer sees: sample aspect ratio and rotation applied. */
  displayWidth: number;
  displayHeight: number;
  /** Clockwise rotation a player applies, in degrees: 0, 90, 180 or 270. */
  rotation: number;
  /** Average frames per second over the track; null when the track has no samples yet. */
  frameRate: number | null;
  variableFrameRate: boolean;
  bitDepth: number | null;
  chromaFormat: ChromaFormat | null;
  /** Judged from the samples' composition order, not the SPS reorder hint. Null when it cannot be told. */
  bFrames: boolean | null;
  /** HDR transfer (PQ or HLG) or Dolby Vision signalled. */
  hdr: boolean;
  sampleCount: number;
  durationSeconds: number | null;
  sampleDescriptions: SampleDescriptions;
}

export type AacObjectType = 'Main' | 'LC' | 'SSR' | 'LTP' | 'HE' | 'HEv2' | 'other';

export interface AudioTrackFacts {
  trackId: number;
  codec: CodecName;
  codecTag: string | null;
  /** AAC only. */
  aacObjectType: AacObjectType | null;
  channels: number | null;
  sampleRate: number | null;
  durationSeconds: number | null;
  sampleDescriptions: SampleDescriptions;
}

/**
 * Which reader answered: our own ISO-BMFF reader; ffprobe, for other containers; `isobmff+ffprobe` for an
 * MP4/MOV whose box layout our reader walked but whose moov only ffprobe could make sense of (the layout
 * facts are then our reader's, the stream facts ffprobe's).
 */
export type FactsSource = 'isobmff' | 'ffprobe' | 'isobmff+ffprobe' | 'none';

/** Everything the probe learnt about one file. */
export interface MediaFacts {
  path: string;
  sizeBytes: number;
  /** Type sniffed from the bytes, whatever the file is named. */
  detected: { ext: string; mime: string } | null;
  /** `mp4`, `3gp`, `mov`, `m4a`, `mkv`, `webm`, `avi`... or null when not media. */
  container: string | null;
  brand: FileBrand | null;
  topLevelBoxes: TopLevelBox[];
  /** Null when the file is not ISO-BMFF or has no mdat. */
  moovBeforeMdat: boolean | null;
  fragmented: boolean;
  durationSeconds: number | null;
  video: VideoTrackFacts[];
  audio: AudioTrackFacts[];
  /** Set when the file cannot be read as media; the other facts are then partial. */
  problem: UnreadableProblem | null;
  source: FactsSource;
  /** Bytes read from the file to learn all this (ffprobe's reads are not counted). */
  bytesRead: number;
}

/**
 * Facts of a file nothing is known about yet, the one place facts start from (the readers fill them in);
 * with `problem`, the facts of a file that cannot be read.
 */
export function emptyFacts(path: string, sizeBytes = 0, problem: UnreadableProblem | null = null): MediaFacts {
  return {
    path,
    sizeBytes,
    detected: null,
    container: null,
    brand: null,
    topLevelBoxes: [],
    moovBeforeMdat: null,
    fragmented: false,
    durationSeconds: null,
    video: [],
    audio: [],
    problem,
    source: 'none',
    bytesRead: 0,
  };
}
