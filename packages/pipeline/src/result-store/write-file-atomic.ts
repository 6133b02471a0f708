import { open, rename, rm } from 'node:fs/promises';
import { temporaryPathFor } from '@wavid/foundation';

/**
 * Writes a file so that readers see the old content or the new, never half of it: a temporary file
 * beside it, flushed to disk, then renamed over it. Readable by its owner only (mode 0600): manifests
 * and reports hold links that give whoever has them the video (presigned ones with the session token
 * they were signed with), media ids and provider error messages.
 */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  const temp = temporaryPathFor(path, 'tmp');
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
