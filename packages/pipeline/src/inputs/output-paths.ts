import { basename, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
// The subpath keeps ffmpeg's wrapper out of commands that only read files (`wavid check`).
import { outputExtensionFor } from '@wavid/transcode/output-container';
import type { InputFile } from './collect-inputs.js';
import { RESERVED_NAMES } from './reserved-names.js';

/**
 * Where each input's fixed copy goes: `<out>/<path below the folder it was found in>`, or `<out>/<name>` for
 * a file named directly, with `.mp4` (`.3gp` for a `.3gp` input, which stays 3GP). Inputs that would share a name get `-2`, `-3`... in input
 * order, and never a name another input gets naturally. No output is ever an input's own path (an `.mp4`
 * fixed into its own folder gets `-2`...). Names are compared case-insensitively, as on macOS and Windows,
 * and inputs by their resolved paths. Pure apart from resolving relative paths against the working folder.
 */
export function outputPathsFor(inputs: readonly InputFile[], outDir: string, options: OutputPathOptions = {}): string[] {
  const below = inputs.map((input) => withOutputExtension(input.root === null ? basename(input.path) : input.relativePath));
  const natural = foldersAwayFromFiles(awayFromReserved(below, options.reserved ?? RESERVED_NAMES)).map((path) => join(outDir, path));
  const key = (path: string) => resolve(path).toLowerCase();
  const naturalCount = new Map<string, number>();
  for (const path of natural) naturalCount.set(key(path), (naturalCount.get(key(path)) ?? 0) + 1);
  // A renamed output may not take the name of a folder of outputs either.
  const folders = new Set(natural.flatMap((path) => folderPrefixes(relative(outDir, path)).map((folder) => key(join(outDir, folder)))));
  const taken = new Set<string>(inputs.map((input) => key(input.path)));
  return natural.map((path) => {
    let candidate = path;
    for (let n = 2; taken.has(key(candidate)) || (candidate !== path && (naturalCount.has(key(candidate)) || folders.has(key(candidate)))); n++) {
      const extension = extname(path);
      candidate = `${path.slice(0, -extension.length)}-${n}${extension}`;
    }
    taken.add(key(candidate));
    return candidate;
  });
}

export interface OutputPathOptions {
  /**
   * Names at the top of the output folder that no output may take, nor a folder of outputs. Default: wavid's
   * own files, for every command, so that one input gets the same output path from `fix` and `run`.
   */
  reserved?: readonly string[] | undefined;
}

/** A path whose first part is a reserved name gets `-2`, `-3`... on that part, unused by any other path. */
function awayFromReserved(paths: readonly string[], reserved: readonly string[]): string[] {
  if (reserved.length === 0) return [...paths];
  const first = (path: string) => path.split(/[\\/]/)[0] ?? path;
  const blocked = new Set([...reserved, ...paths.map(first)].map((name) => name.toLowerCase()));
  const renamed = new Map<string, string>();
  return paths.map((path) => {
    const head = first(path);
    if (!reserved.some((name) => name.toLowerCase() === head.toLowerCase())) return path;
    let replacement = renamed.get(head.toLowerCase());
    for (let n = 2; replacement === undefined; n++) {
      if (!blocked.has(`${head}-${n}`.toLowerCase())) replacement = `${head}-${n}`;
    }
    renamed.set(head.toLowerCase(), replacement);
    blocked.add(replacement.toLowerCase());
    return `${replacement}${path.slice(head.length)}`;
  });
}

const SEPARATOR = sep === '\\' ? /[\\/]/ : /\//;

/** The folders a relative path lies in, outermost first: `a/b/c.mp4` gives `a` and `a/b`. */
function folderPrefixes(path: string): string[] {
  const parts = path.split(SEPARATOR).slice(0, -1);
  return parts.map((_, index) => join(...parts.slice(0, index + 1)));
}

/**
 * A folder of outputs with the name of another output file (`a.mp4` and `a.mp4/b.mp4`, from keys of a bucket)
 * gets `-2`, `-3`... on that part, unused by any other path, as a reserved name does: one path cannot be a
 * file and a folder. Compared without regard to case. Pure.
 */
export function foldersAwayFromFiles(paths: readonly string[]): string[] {
  const files = new Set(paths.map((path) => path.toLowerCase()));
  const used = new Set([...files, ...paths.flatMap(folderPrefixes).map((folder) => folder.toLowerCase())]);
  const renamed = new Map<string, string>();
  return paths.map((path) => {
    const parts = path.split(SEPARATOR);
    let original = '';
    let current = '';
    let moved = false;
    for (const part of parts.slice(0, -1)) {
      original = original === '' ? part : join(original, part);
      const natural = current === '' ? part : join(current, part);
      let next = renamed.get(original.toLowerCase()) ?? natural;
      if (next === natural && files.has(natural.toLowerCase())) {
        for (let n = 2; used.has(next.toLowerCase()); n++) next = `${natural}-${n}`;
        used.add(next.toLowerCase());
        renamed.set(original.toLowerCase(), next);
      }
      moved ||= next !== natural;
      current = next;
    }
    return moved ? join(current, parts[parts.length - 1] ?? '') : path;
  });
}

function withOutputExtension(path: string): string {
  const extension = extname(path);
  return `${extension ? path.slice(0, -extension.length) : path}${outputExtensionFor(path)}`;
}

/** True when `inner` is `outer` or lies below it. */
export function isInside(inner: string, outer: string): boolean {
  const path = relative(resolve(outer), resolve(inner));
  return path === '' || (!path.startsWith(`..${sep}`) && path !== '..' && !isAbsolute(path));
}
