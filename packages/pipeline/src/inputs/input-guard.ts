import { realpath, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { isInside } from './output-paths.js';

/** The identities (device and inode) of the inputs, to tell an output that is an input whatever links lead to it. */
export async function inputIdentities(paths: readonly string[]): Promise<Set<string>> {
  const keys = new Set<string>();
  for (const path of paths) {
    const stats = await stat(path).catch(() => null);
    if (stats) keys.add(`${stats.dev}:${stats.ino}`);
  }
  return keys;
}

/** True when writing `output` would replace the bytes of an input: the same file, reached by any links. */
export async function isAnInput(output: string, inputs: ReadonlySet<string>): Promise<boolean> {
  const stats = await stat(output).catch(() => null);
  return stats !== null && inputs.has(`${stats.dev}:${stats.ino}`);
}

/** True when the output folder is, or lies below, the input folder once links are resolved. */
export async function outputsLandInInputs(outDir: string, folder: string): Promise<boolean> {
  const [realOut, realFolder] = await Promise.all([realpath(outDir).catch(() => null), realpath(folder).catch(() => null)]);
  return realOut !== null && realFolder !== null && isInside(realOut, realFolder);
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
