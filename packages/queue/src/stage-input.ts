import { extname } from 'node:path';
import { hashFile } from '@wavid/publish';
import type { StoredObject } from './job-data.js';
import { inputKey } from './job-id.js';
import type { ObjectStore } from './object-store.js';

/**
 * Puts a local input in the bucket under `<prefix>/inputs/<sha256><ext>`, where every worker can fetch it.
 * An object with that name and size is this input already, staged by an earlier run: it is not sent again.
 */
export async function stageInput(path: string, store: ObjectStore, target: { bucket: string; prefix: string }, signal?: AbortSignal): Promise<StoredObject & { uploaded: boolean }> {
  const { sha256, sizeBytes } = await hashFile(path, { signal });
  const key = inputKey(target.prefix, sha256, extname(path));
  const stored = await store.size(target.bucket, key, signal);
  if (stored === sizeBytes) return { bucket: target.bucket, key, sha256, sizeBytes, uploaded: false };
  await store.putFile(target.bucket, key, path, 'application/octet-stream', signal);
  return { bucket: target.bucket, key, sha256, sizeBytes, uploaded: true };
}
