// Everything of publish but the store upload: providers, messages, credentials, links and errors. It does not
// load the AWS SDK, which costs more to load than a whole \`wavid check\`; a command's help and its checks of
// the options use this, and only an upload loads the SDK (through the package's main entry).
export { sendVideo, checkSendVideo, type ProviderCallOptions, type SendResult, type SendVideoOptions } from './send-video.js';
export { sendTemplate, prepareTemplate, sendsTemplates, type SendTemplateOptions } from './send-template.js';
export {
  checkTemplate,
  checkTemplateParameter,
  metaTemplateMessage,
  MAX_TEMPLATE_PARAMETER_CHARS,
  type OutgoingTemplate,
  type TemplateInput,
} from './template.js';
export { uploadMedia, type UploadedMedia, type UploadMediaOptions } from './upload-media.js';
export { gateVideo, type GatedVideo, type GateVideoOptions } from './gate-video.js';
export { videoContentType, type VideoContentType } from './video-content-type.js';
export { requireFile } from './require-file.js';
export {
  InvalidOptionError,
  MissingCredentialError,
  missingCredentialProblem,
  type OptionNamer,
  ProviderError,
  PublishError,
  type ProviderErrorCode,
  type ProviderErrorFields,
  type PublishErrorCode,
} from './errors.js';
export { PROVIDER_NAMES, type ProviderName } from './providers/provider-name.js';
export { getProvider } from './providers/index.js';
export type { CredentialSpec, ExtraInfo, HttpAnswer, HttpRequest, ProviderDefinition, SendOutcome } from './providers/provider.js';
export { checkBaseUrl, MAX_CAPTION_CHARS, MAX_STATUS_VIDEO_BYTES, checkCaption, type MediaRef } from './message.js';
export { redact, redactUrls } from './http/redact.js';
export { parsePhoneNumber } from './phone.js';
export { MAX_LINK_SECONDS } from './store/object-key.js';
export { s3ClientConfig, type StoreConnectionOptions } from './store/s3-config.js';
export { checkLinkAnswer, fetchLinkAnswer, type LinkAnswer, type LinkProblem, type LinkProblemCode } from './store/check-link.js';
export type { RetryEvent } from './http/send-http.js';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './http/retry-policy.js';
export { hashFile, type HashFileOptions } from './store/hash-file.js';
export { resolveCredentials, type ResolvedCredentials } from './credentials.js';
export type { ProgressEvent, ProgressStage } from '@wavid/foundation';
export { bucketUrl, isBucketUrl, isKeyBelow, locationsOverlap, parseBucketUrl, type BucketLocation } from './store/bucket-location.js';
