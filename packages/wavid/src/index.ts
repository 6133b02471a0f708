export { prepare, deliver, defaultOutputPath, type Destination, type LinkDestination, type MediaIdDestination, type PrepareOptions, type PrepareProgress, type PrepareResult, type PrepareStage } from './pipeline/prepare.js';
export { prepareFolder, type FolderItem, type PrepareFolderOptions } from './pipeline/prepare-folder.js';
export { runCampaign, deliveryTarget, REPORT_HTML, type CampaignOptions, type CampaignOutcome, type CampaignResult } from './pipeline/run-campaign.js';
export { MANIFEST_CSV, MANIFEST_JSON, type Manifest, type ManifestDelivery, type ManifestEntry, type ManifestVerdict } from './pipeline/manifest.js';
export { checkFiles, type CheckFilesOptions, type FileCheck } from './check-files.js';
export { collectInputs, InputNotFoundError, VIDEO_EXTENSIONS, type InputFile } from './collect-inputs.js';
export { WAVID_VERSION } from './version.js';
// The stages' typed errors, so a caller of prepare() can branch on them without another import.
export { ProbeError } from '@wavid/probe';
export { TranscodeError } from '@wavid/transcode';
export { ProviderError, PublishError, sendVideo, type SendResult, type SendVideoOptions } from '@wavid/publish';
