import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

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
    if (!match || (jobId !== undefined && match[1] !== jobId) || processAlive(Number(match[2]))) continue;
    await rm(join(workDir, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
