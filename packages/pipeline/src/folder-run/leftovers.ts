import { opendir, realpath, rm } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { isTemporaryName, isTemporaryNameFor, throwIfCancelled } from '@wavid/foundation';
import { RESERVED_NAMES } from '../inputs/reserved-names.js';
import { THUMBNAIL_DIR } from './thumbnails.js';

/**
 * Step: removes the temporary files of writes a killed run never finished. Only wavid's own temporary
 * names are removed, and only where this run writes: beside each planned output (for that output's
 * name), beside the manifest and report, and in the thumbnail folder. Folders are read one level, never
 * through a link (a folder whose real path is not where it should be below the output folder is passed
 * over), and only regular files go. The signal is checked between entries.
 */
export async function removeLeftovers(outDir: string, outputs: readonly string[], signal?: AbortSignal): Promise<void> {
  const root = resolve(outDir);
  const realRoot = await realpath(root).catch(() => null);
  if (realRoot === null) return;
  const wanted = new Map<string, (name: string) => boolean>();
  const names = new Map<string, Set<string>>();
  for (const output of [...outputs.map((path) => resolve(path)), ...RESERVED_NAMES.map((name) => join(root, name))]) {
    const dir = dirname(output);
    names.set(dir, (names.get(dir) ?? new Set()).add(basename(output)));
  }
  for (const [dir, finals] of names) wanted.set(dir, (name) => [...finals].some((final) => isTemporaryNameFor(name, final)));
  wanted.set(join(root, THUMBNAIL_DIR), isTemporaryName);

  for (const [dir, matches] of wanted) {
    throwIfCancelled(signal);
    const below = relative(root, dir);
    if (below.startsWith('..')) continue;
    // A link anywhere on the way makes the real path differ: such a folder is not wavid's to clean.
    if ((await realpath(dir).catch(() => null)) !== join(realRoot, below)) continue;
    const handle = await opendir(dir).catch(() => null);
    if (!handle) continue;
    for await (const entry of handle) {
      throwIfCancelled(signal);
      if (entry.isFile() && matches(entry.name)) await rm(join(dir, entry.name), { force: true });
    }
  }
}
