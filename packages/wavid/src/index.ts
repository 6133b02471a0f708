export { checkFiles, type CheckFilesOptions, type FileCheck } from './check-files.js';
export { collectInputs, InputNotFoundError, VIDEO_EXTENSIONS, type InputFile } from './collect-inputs.js';
