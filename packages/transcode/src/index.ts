export { fixVideo, formatDuration, type FixResult } from './fix-video.js';
export { DEFAULT_MAX_ATTEMPTS, DEFAULT_PRESET, DEFAULT_TARGET_FRACTION, type FixVideoOptions } from './options.js';
export type { ProgressEvent, ProgressStage } from '@wavid/foundation';
export { TranscodeError, transcodeRecovery, type TranscodeErrorCode, type TranscodeErrorDetails } from './errors.js';
export {
  planRemediation,
  type AudioPlan,
  type PlanDecision,
  type PlanErrorCode,
  type OutputContainer,
  type PlanOptions,
  type RemediationAction,
  type RemediationPlan,
} from './plan/plan-remediation.js';
export { planBudget, candidateSizes, MIN_BITS_PER_PIXEL, MIN_VIDEO_BITRATE, type BudgetRequest, type BudgetResult, type EncodeBudget } from './plan/size-budget.js';
export { h264LevelFor } from './plan/h264-level.js';
export { ffmpegArgv, type FfmpegJob } from './ffmpeg/ffmpeg-job.js';
export { remuxArgs, type RemuxArgsOptions } from './ffmpeg/remux-args.js';
export { outputContainerFor, outputExtensionFor } from './output-container.js';
export { transcodeArgs, type H264OutputProfile, type TranscodeArgsOptions } from './ffmpeg/transcode-args.js';
export { parseFfmpegProgress, fractionDone, type FfmpegStatus } from './ffmpeg/parse-ffmpeg-progress.js';
export { defaultFfmpegPath } from './ffmpeg/ffmpeg-path.js';
export { extractThumbnail, type ExtractThumbnailOptions } from './extract-thumbnail.js';
export { thumbnailJob, type ThumbnailJobOptions } from './ffmpeg/thumbnail-args.js';
export { untrustedInput } from './ffmpeg/untrusted-input.js';
