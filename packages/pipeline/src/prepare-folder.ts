import { resolve } from 'node:path';
import { InvalidOptionError, type ProgressEvent } from '@wavid/foundation';
import { collectInputs } from './inputs/collect-inputs.js';
import { inputIdentities, outputRefusal, refuseOutDirInsideInputs } from './inputs/input-guard.js';
import { outputPathsFor } from './inputs/output-paths.js';
import { DEFAULT_CONCURRENCY, x264ThreadsFor } from './concurrency.js';
import { errorRecord, type ErrorRecord } from './error-record.js';
import { mapConcurrent } from './map-concurrent.js';
import { prepare, type PrepareOptions, type PrepareResult } from './prepare.js';

export interface PrepareFolderOptions extends Omit<PrepareOptions, 'output' | 'onProgress'> {
  /** Where outputs go: `<outDir>/<path below dir>.mp4`. Must not be inside `dir`, also through links. */
  outDir: string;
  /** Files worked on at once. Default: one per core (up to 8), each encode with one x264 thread. */
  concurrency?: number | undefined;
  /** Each file's `prepare` events, with `file` set to its input path. */
  onProgress?: ((event: ProgressEvent) => void) | undefined;
}

export type FolderItem =
  | { input: string; output: string; ok: true; result: PrepareResult }
  | { input: string; output: string; ok: false; error: ErrorRecord };

/**
 * Prepares every video in a folder (recursively), a few at a time, and yields each file's outcome as it
 * completes. A file that cannot be fixed or published is yielded with its error; only a cancel ends the
 * iteration early. Outputs are guarded as `wavid run`'s: never over an input, never through a link out of
 * `outDir` (`output-is-input`, `output-outside`), never on a name of wavid's own files. A bad option is an
 * InvalidOptionError, thrown by the first `next()`.
 */
export async function* prepareFolder(dir: string, options: PrepareFolderOptions): AsyncGenerator<FolderItem> {
  if (!options.outDir) throw new InvalidOptionError('outDir', (option) => `${option('outDir')} must name the folder outputs go to`);
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new InvalidOptionError('concurrency', (option) => `${option('concurrency')} must be a whole number of at least 1; got ${concurrency}`);
  }
  await refuseOutDirInsideInputs(options.outDir, dir);
  const inputs = await collectInputs([dir]);
  const outputs = outputPathsFor(inputs, options.outDir);
  const identities = await inputIdentities(inputs.map((input) => input.path));
  const threads = options.threads ?? x264ThreadsFor(Math.min(concurrency, Math.max(1, inputs.length)));
  yield* mapConcurrent(inputs, { concurrency, signal: options.signal }, async (input, index, signal): Promise<FolderItem> => {
    const output = outputs[index] ?? resolve(options.outDir, 'out.mp4');
    const refusal = await outputRefusal({ output, outDir: options.outDir, inputs: identities });
    if (refusal) return { input: input.path, output, ok: false, error: { ...refusal, recovery: 'give-up' } };
    try {
      const result = await prepare(input.path, { ...options, output, threads, signal, onProgress: (event) => options.onProgress?.({ ...event, file: input.path }) });
      return { input: input.path, output, ok: true, result };
    } catch (error) {
      if (signal.aborted) throw error;
      return { input: input.path, output, ok: false, error: errorRecord(error) };
    }
  });
}
