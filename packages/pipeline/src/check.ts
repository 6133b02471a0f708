// What checking files needs, without the transcode and publish stages: a command that only reads files
// starts without loading ffmpeg's wrapper or the AWS SDK.
export { checkFiles, type CheckFilesOptions, type FileCheck } from './check-files.js';
export { collectInputs, InputNotFoundError, VIDEO_EXTENSIONS, type InputFile } from './inputs/collect-inputs.js';
export { isInside, outputPathsFor } from './inputs/output-paths.js';
export { DEFAULT_CHECK_CONCURRENCY, DEFAULT_CONCURRENCY, x264ThreadsFor } from './concurrency.js';
