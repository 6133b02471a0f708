import { runCampaign as runFolderCampaign, type CampaignOptions, type CampaignResult } from '@wavid/pipeline';
import { reportHtml } from './report/report-html.js';

export {
  prepare,
  deliver,
  sendPreparedVideo,
  defaultOutputPath,
  prepareFolder,
  deliveryTarget,
  REPORT_HTML,
  MANIFEST_CSV,
  MANIFEST_JSON,
  checkFiles,
  collectInputs,
  InputNotFoundError,
  VIDEO_EXTENSIONS,
  type CampaignOptions,
  type CampaignOutcome,
  type CampaignResult,
  type CheckFilesOptions,
  type Destination,
  type FileCheck,
  type FolderItem,
  type InputFile,
  type LinkDestination,
  type Manifest,
  type ManifestDelivery,
  type ManifestEntry,
  type ManifestVerdict,
  type MediaIdDestination,
  type PrepareFolderOptions,
  type PrepareOptions,
  type ProgressEvent,
  type ProgressStage,
  type PrepareResult,
  type PreparedVideoMessage,
  type SendPreparedVideoOptions,
  type SentPreparedVideo,
} from '@wavid/pipeline';
export { WAVID_VERSION } from './version.js';
// The stages' typed errors, so a caller of prepare() can branch on them without another import.
export { ProbeError } from '@wavid/probe';
export { TranscodeError } from '@wavid/transcode';
export { InvalidOptionError, ProviderError, PublishError, sendVideo, type SendResult, type SendVideoOptions } from '@wavid/publish';

/** `wavid run` as a function: the folder run of `@wavid/pipeline`, with wavid's HTML report unless another is given. */
export function runCampaign(options: CampaignOptions): Promise<CampaignResult> {
  return runFolderCampaign({ renderReport: reportHtml, ...options });
}
