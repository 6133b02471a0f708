import { stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Step of the reuse decision: the recorded output as it is on disk now, or null when it is gone. */
export async function outputState(outDir: string, output: string | null): Promise<{ sizeBytes: number; modifiedMs: number } | null> {
  if (!output) return null;
  const stats = await stat(join(outDir, output)).catch(() => null);
  return stats?.isFile() ? { sizeBytes: stats.size, modifiedMs: stats.mtimeMs } : null;
}
