import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isTemporaryName } from '@wavid/foundation';

/** Step: removes the temporary files of writes a killed run never finished, anywhere below the output folder. */
export async function removeLeftovers(outDir: string): Promise<void> {
  const names = await readdir(outDir, { recursive: true }).catch(() => [] as string[]);
  for (const name of names) {
    const base = name.split(/[\\/]/).pop() ?? '';
    if (isTemporaryName(base)) await rm(join(outDir, name), { force: true });
  }
}
