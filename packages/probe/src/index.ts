export { emptyFacts, probe, type ProbeOptions } from './probe.js';
export { warmUpProbe } from './isolation/probe-pool.js';
export {
  checkCompliance,
  formatBytes,
  resolveProfile,
  PROFILES,
  PROFILE_NAMES,
  type ComplianceProfile,
  type ComplianceVerdict,
  type Finding,
  type ProfileName,
  type ResolveProfileOptions,
  type Violation,
  type ViolationCode,
  type Warning,
  type WarningCode,
} from './compliance.js';
export { describeFacts } from './describe-facts.js';
export { ProbeError, type ProbeErrorCode } from './errors.js';
export { defaultFfprobePath } from './ffprobe/ffprobe-path.js';
export { ALLOWED_DEMUXERS, demuxerFor, demuxerForSniffed } from './ffprobe/demuxer.js';
export { fileUrl, mediaInputArgs, openInputArgs, type MediaInput } from './ffprobe/ffprobe-args.js';
export type {
  AacObjectType,
  AudioTrackFacts,
  ChromaFormat,
  CodecName,
  FactsSource,
  FileBrand,
  H264Profile,
  MediaFacts,
  SampleDescriptions,
  TopLevelBox,
  UnreadableProblem,
  UnreadableReason,
  VideoTrackFacts,
} from './media-facts.js';
