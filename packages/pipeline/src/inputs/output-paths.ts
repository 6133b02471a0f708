import { basename, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { InputFile } from './collect-inputs.js';

/**
 * Where each input's fixed copy goes: `<out>/<path below the folder it was found in>`, or `<out>/<name>` for
 * a file named directly, always with `.mp4`. Inputs that would share a name get `-2`, `-3`... in input
 * order, and never a name another input gets naturally. No output is ever an input's own path (an `.mp4`
 * fixed into its own folder gets `-2`...). Names are compared case-insensitively, as on macOS and Windows,
 * and inputs by their resolved paths. Pure apart from resolving relative paths against the working folder.
 */
export function outputPathsFor(inputs: readonly InputFile[], outDir: string): string[] {
  const natural = inputs.map((input) => join(outDir, withMp4(input.root === null ? basename(input.path) : input.relativePath)));
  const key = (path: string) => resolve(path).toLowerCase();
  const naturalCount = new Map<string, number>();
  for (const path of natural) naturalCount.set(key(path), (naturalCount.get(key(path)) ?? 0) + 1);
  const taken = new Set<string>(inputs.map((input) => key(input.path)));
  return natural.map((path) => {
    let candidate = path;
    for (let n = 2; taken.has(key(candidate)) || (candidate !== path && naturalCount.has(key(candidate))); n++) {
      candidate = `${path.slice(0, -'.mp4'.length)}-${n}.mp4`;
    }
    taken.add(key(candidate));
    return candidate;
  });
}

function withMp4(path: string): string {
  const extension = extname(path);
  return `${extension ? path.slice(0, -extension.length) : path}.mp4`;
}

/** True when `inner` is `outer` or lies below it. */
export function isInside(inner: string, outer: string): boolean {
  const path = relative(resolve(outer), resolve(inner));
  return path === '' || (!path.startsWith(`..${sep}`) && path !== '..' && !isAbsolute(path));
}
