import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { extractThumbnail } from '@wavid/transcode';
import type { Manifest, ManifestEntry } from '../result-store/manifest.js';

/** Thumbnails are kept beside the outputs so a later run can rebuild the report without decoding again. */
export const THUMBNAIL_DIR = join('.wavid', 'thumbnails');

function thumbnailPath(outDir: string, entry: ManifestEntry): string {
  return join(outDir, THUMBNAIL_DIR, `${entry.sha256}.jpg`);
}

/**
 * Step: the first frame as WhatsApp shows it: of the output, or of the input when there is none. Made
 * again for new work, and for a skipped entry only when its picture is missing. Best effort: a file that
 * is not readable media gets none (extractThumbnail refuses it), and the report shows a placeholder.
 * `inputPath` is null for an input with no local file (one in a bucket): without an output it gets none.
 */
export async function makeThumbnail(entry: ManifestEntry, inputPath: string | null, outDir: string, signal: AbortSignal, fresh: boolean): Promise<void> {
  const path = thumbnailPath(outDir, entry);
  if (!fresh && (await stat(path).catch(() => null))) return;
  const source = entry.output ? join(outDir, entry.output) : inputPath;
  if (source === null) {
    await rm(path, { force: true });
    return;
  }
  await extractThumbnail({ input: source, output: path, signal }).catch(() => rm(path, { force: true }));
}

/** Every entry's picture, by input path, for the report. */
export async function readThumbnails(manifest: Manifest, outDir: string): Promise<Map<string, Uint8Array>> {
  const pictures = new Map<string, Uint8Array>();
  for (const entry of manifest.entries) {
    const bytes = await readFile(thumbnailPath(outDir, entry)).catch(() => null);
    if (bytes) pictures.set(entry.input, bytes);
  }
  return pictures;
}
