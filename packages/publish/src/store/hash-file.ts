import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export interface HashFileOptions {
  signal?: AbortSignal | undefined;
  onProgress?: ((loaded: number) => void) | undefined;
}

/** SHA-256 (hex) and size of a file, read as a stream. */
export async function hashFile(path: string, options: HashFileOptions = {}): Promise<{ sha256: string; sizeBytes: number }> {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  for await (const chunk of createReadStream(path, { signal: options.signal, highWaterMark: 1024 * 1024 })) {
    const bytes = chunk as Buffer;
    hash.update(bytes);
    sizeBytes += bytes.length;
    options.onProgress?.(sizeBytes);
  }
  return { sha256: hash.digest('hex'), sizeBytes };
}
