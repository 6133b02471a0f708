import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { isInside } from '../inputs/output-paths.js';

/**
 * True for an output path as a manifest may record it: relative, below the output folder, no `..`. A
 * manifest is a file anyone with access to the folder can edit; what it names is not trusted further.
 */
export function isConfinedName(output: string): boolean {
  if (output === '' || isAbsolute(output) || /^[\\/]|\0/.test(output)) return false;
  return !output.split(/[\\/]/).includes('..');
}

/**
 * Step of the reuse decision: the recorded output as it is on disk now, or null when it is gone, or when
 * the recorded path leads out of the output folder (by `..`, an absolute path or a link on the way).
 */
export async function outputState(outDir: string, output: string | null): Promise<{ sizeBytes: number; modifiedMs: number } | null> {
  if (!output || !isConfinedName(output)) return null;
  const path = join(outDir, output);
  const [real, realOut] = await Promise.all([realpath(path).catch(() => null), realpath(outDir).catch(() => null)]);
  if (real === null || realOut === null || !isInside(real, realOut)) return null;
  const stats = await stat(path).catch(() => null);
  return stats?.isFile() ? { sizeBytes: stats.size, modifiedMs: stats.mtimeMs } : null;
}
