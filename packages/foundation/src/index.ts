export { recoveryOf, RECOVERIES, type ClassifiedError, type Recovery } from './failure.js';
export { cancelError, CancelledError, throwIfCancelled } from './cancel.js';
export { isTemporaryName, isTemporaryNameFor, temporaryPathFor, type TemporaryKind } from './temporary-names.js';
export { runTool, type RunToolOptions, type ToolRun } from './run-tool.js';
export { InvalidOptionError, type OptionNamer } from './invalid-option-error.js';
export { isProcessRunning } from './process-running.js';
export type { ProgressEvent, ProgressStage } from './progress.js';
