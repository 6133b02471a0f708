import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isProcessRunning } from '@wavid/foundation';

/** The scratch folder of one job in one process: `<workDir>/<job id>.<pid>`. */
export function jobFolder(workDir: string, jobId: string, pid = process.pid): string {
  return join(workDir, `${jobId}.${pid}`);
}

/**
 * Removes scratch folders whose process is gone: what a killed worker on this machine left. With a job id,
 * only that job's folders (a job taken over from a dead worker); else all of them (a worker starting).
 */
export async function sweepAbandonedFolders(workDir: string, jobId?: string): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await readdir(workDir).catch(() => [] as string[])) {
    const match = /^([0-9a-f]{64})\.(\d+)$/.exec(name);
    if (!match || (jobId !== undefined && match[1] !== jobId) || isProcessRunning(Number(match[2]))) continue;
    await rm(join(workDir, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}
