import { stat } from 'node:fs/promises';
import { InvalidOptionError } from './errors.js';

/** Resolves when `path` is a regular file; otherwise an InvalidOptionError naming `path`, before any other work. */
export async function requireFile(path: string): Promise<void> {
  const info = await stat(path).catch(() => null);
  if (info === null) throw new InvalidOptionError('path', () => `no such file: ${path}`);
  if (!info.isFile()) throw new InvalidOptionError('path', () => `${path} is not a file`);
}
