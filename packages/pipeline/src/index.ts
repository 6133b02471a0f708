export { prepare, defaultOutputPath, type PrepareOptions, type PrepareResult } from './prepare.js';
export {
  sendPreparedVideo,
  deliver,
  type Delivery,
  type Destination,
  type LinkDestination,
  type MediaIdDestination,
  type PreparedVideoMessage,
  type SendPreparedVideoOptions,
  type SentPreparedVideo,
} from './send-prepared-video.js';
export { prepareFolder, type FolderItem, type PrepareFolderOptions } from './prepare-folder.js';
export { runCampaign, REPORT_HTML } from './folder-run/run-campaign.js';
export type { CampaignOptions, CampaignOutcome, CampaignResult, InputSource, OutputStateReader, PublishedByStep, ReportInput, RepublishOptions } from './folder-run/campaign-options.js';
export { deliveryTarget } from './folder-run/publish-output.js';
export { MANIFEST_CSV, MANIFEST_JSON } from './inputs/reserved-names.js';
export { type Manifest, type ManifestDelivery, type ManifestEntry, type ManifestVerdict, type RunSettings } from './result-store/manifest.js';
export { checkFiles, type CheckFilesOptions, type FileCheck } from './check-files.js';
export { fixFiles, type FileFix, type FixFilesOptions, type FixJob } from './fix-files.js';
export { collectInputs, InputNotFoundError, VIDEO_EXTENSIONS, type InputFile } from './inputs/collect-inputs.js';
export { isInside, outputPathsFor } from './inputs/output-paths.js';
export { outDirInsideInputs, outputRefusal, type OutputRefusal, type OutputRefusalCode } from './inputs/input-guard.js';
export { DEFAULT_CHECK_CONCURRENCY, DEFAULT_CONCURRENCY, x264ThreadsFor } from './concurrency.js';
export { errorRecord, recordRecovery, type ErrorRecord } from './error-record.js';
export type { ProgressEvent, ProgressStage } from '@wavid/foundation';
export { bucketInputs, confineKey, type BucketInputs, type ConfineKeyOptions, type KeyVerdict, type RefusedKey, type RefusedKeyReason } from './inputs/bucket-inputs.js';
export { isConfinedName } from './folder-run/output-state.js';
