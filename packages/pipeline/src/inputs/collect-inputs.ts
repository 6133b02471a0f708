import { readdir, stat } from 'node:fs/promises';
import { extname, join, relative } from 'node:path';

/** Extensions of files taken from folders. A file named on the command line is taken whatever its name. */
export const VIDEO_EXTENSIONS: ReadonlySet<string> = new Set([
  '.mp4', '.m4v', '.mov', '.qt', '.3gp', '.3g2', '.mkv', '.webm', '.avi', '.flv', '.f4v', '.ts', '.mts', '.m2ts',
  '.mpg', '.mpeg', '.wmv', '.asf', '.ogv', '.vob',
]);

export interface InputFile {
  /** Path as the user would write it: the given path, or the folder joined with the file's place in it. */
  path: string;
  /** The folder the file was found in, as given; null for a file named directly. */
  root: string | null;
  /** Path below `root` (or the file name for a file named directly). */
  relativePath: string;
}

export class InputNotFoundError extends Error {
  override readonly name = 'InputNotFoundError';
  readonly code = 'input-not-found';
  readonly recovery = 'give-up';
  constructor(readonly path: string) {
    super(`no such file or folder: ${path}`);
  }
}

/**
 * Files to work on, in a stable order: named files as they are, folders searched recursively for video
 * files by extension, skipping hidden entries and node_modules. Links to files are followed; links to
 * folders are not, so a link loop cannot make the walk endless. A file reached twice is listed once.
 */
export async function collectInputs(paths: readonly string[], options: { exclude?: readonly string[] } = {}): Promise<InputFile[]> {
  const found: InputFile[] = [];
  const seen = new Set<string>();
  const excluded = (options.exclude ?? []).map((path) => join(path));
  const add = (file: InputFile) => {
    const key = join(file.path);
    if (!seen.has(key)) {
      seen.add(key);
      found.push(file);
    }
  };
  for (const path of paths) {
    const stats = await stat(path).catch(() => null);
    if (!stats) throw new InputNotFoundError(path);
    if (stats.isDirectory()) {
      for (const file of await walk(path, excluded)) add({ path: file, root: path, relativePath: relative(path, file) });
    } else {
      add({ path, root: null, relativePath: path.split(/[\\/]/).pop() ?? path });
    }
  }
  return found;
}

/**
 * The video files below `folder`. A subfolder that cannot be read (permissions, removed meanwhile) is
 * listed itself, so that it gets a verdict of its own (unreadable) and the rest of the walk goes on; only
 * the folder given is read with its error thrown.
 */
async function walk(folder: string, excluded: readonly string[], top = true): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true }).catch((error: unknown) => {
    if (top) throw error;
    return null;
  });
  if (entries === null) return [folder];
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(folder, entry.name);
    if (excluded.includes(path)) continue;
    if (entry.isDirectory()) files.push(...(await walk(path, excluded, false)));
    else if (VIDEO_EXTENSIONS.has(extname(entry.name).toLowerCase()) && (entry.isFile() || (entry.isSymbolicLink() && (await isFileBehindLink(path))))) {
      files.push(path);
    }
  }
  return files;
}

async function isFileBehindLink(path: string): Promise<boolean> {
  const target = await stat(path).catch(() => null);
  return target?.isFile() ?? false;
}
