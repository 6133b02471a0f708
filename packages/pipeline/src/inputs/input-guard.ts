import { realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { InvalidOptionError } from '@wavid/foundation';
import { isInside } from './output-paths.js';

/**
 * The inputs of a call, to tell an output that is an input whatever links lead to it: by identity (device
 * and inode) and by resolved path (an input that cannot be stat'ed is still never written over).
 */
export interface InputIdentities {
  readonly ids: ReadonlySet<string>;
  readonly paths: ReadonlySet<string>;
}

export async function inputIdentities(paths: readonly string[]): Promise<InputIdentities> {
  const ids = new Set<string>();
  for (const path of paths) {
    const id = await fileId(path);
    if (id !== null) ids.add(id);
  }
  return { ids, paths: new Set(paths.map((path) => resolve(path))) };
}

async function fileId(path: string): Promise<string | null> {
  // bigint: inode numbers past 2^53 exist, and two rounded ones could look alike.
  const stats = await stat(path, { bigint: true }).catch(() => null);
  return stats ? `${stats.dev}:${stats.ino}` : null;
}

/** True when writing `output` would replace the bytes of an input: the same path, or the same file reached by any links. */
export async function isAnInput(output: string, inputs: InputIdentities): Promise<boolean> {
  if (inputs.paths.has(resolve(output))) return true;
  const id = await fileId(output);
  return id !== null && inputs.ids.has(id);
}

/**
 * True when the output folder is, or lies below, an input folder, as written or once links are resolved (also
 * when it is not made yet and a link leads to where it will be): outputs would be read as inputs next time, or replace them.
 */
export async function outDirInsideInputs(outDir: string, folder: string): Promise<boolean> {
  if (isInside(outDir, folder)) return true;
  const [realOut, realFolder] = await Promise.all([realPathOnceMade(outDir), realpath(folder).catch(() => null)]);
  return realOut !== null && realFolder !== null && isInside(realOut, realFolder);
}

/**
 * The real path a folder will have once made: the nearest part of its path that exists, with links resolved,
 * and the parts still to be made below it. A folder that does not exist yet can still lie through a link.
 */
async function realPathOnceMade(path: string): Promise<string | null> {
  const toMake: string[] = [];
  // Walked up as written, not normalised first: `link/..` is the folder above the link's target.
  for (let dir = path; ; dir = dirname(dir)) {
    const real = await realpath(dir).catch(() => null);
    if (real !== null) return join(real, ...toMake);
    if (dirname(dir) === dir) return null;
    toMake.unshift(basename(dir));
  }
}

/**
 * The guard of a folder call's entry: an InvalidOptionError `outDir` when the output folder is, or lies below,
 * the input folder (outDirInsideInputs). `runCampaign` and `prepareFolder` share it.
 */
export async function refuseOutDirInsideInputs(outDir: string, folder: string): Promise<void> {
  if (await outDirInsideInputs(outDir, folder)) {
    throw new InvalidOptionError('outDir', (option) => `${option('outDir')} ${outDir} is inside ${folder} (also through links); its outputs would be read as inputs or replace them`);
  }
}

/**
 * True when a file written at `output` would land outside the output folder: the nearest folder of its
 * path that exists already leads elsewhere through a link.
 */
export async function landsOutside(output: string, outDir: string): Promise<boolean> {
  const realOut = await realpath(outDir).catch(() => null);
  if (realOut === null) return false;
  for (let dir = dirname(output); ; dir = dirname(dir)) {
    const real = await realpath(dir).catch(() => null);
    if (real !== null) return !isInside(real, realOut);
    if (dirname(dir) === dir) return false;
  }
}

/** Why an output may not be written, as a stable code; `wavid run`, `wavid fix` and `prepareFolder` share them. */
export type OutputRefusalCode = 'output-outside' | 'output-is-input';

export interface OutputRefusal {
  code: OutputRefusalCode;
  message: string;
}

export interface OutputRefusalOptions {
  output: string;
  /** The folder every output must stay in, whatever links lie on the way. */
  outDir: string;
  inputs: InputIdentities;
}

/**
 * Whether `output` may be written, checked just before writing it: null when it may, else why not. An output
 * is never written outside the output folder nor over an input.
 */
export async function outputRefusal(options: OutputRefusalOptions): Promise<OutputRefusal | null> {
  const name = relative(options.outDir, options.output);
  if (await landsOutside(options.output, options.outDir)) {
    return { code: 'output-outside', message: `the output ${name} would be written outside the output folder (a link on its way leads elsewhere)` };
  }
  if (await isAnInput(options.output, options.inputs)) {
    return { code: 'output-is-input', message: `the output ${name} is an input file (also through a link); an input is never overwritten` };
  }
  return null;
}
