/**
 * What the launchers of test services (Redis, Swift) share: finding their programs, and stopping their
 * processes. Kept free of vitest, so the benchmarks can compile and use the launchers too.
 */
import type { ChildProcess } from 'node:child_process';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

/** The programs of `binaries` that are not on PATH. */
export async function missingPrograms(binaries: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const folders = (env.PATH ?? '').split(delimiter).filter(Boolean);
  const missing: string[] = [];
  for (const binary of binaries) {
    const found = await Promise.all(folders.map((folder) => access(join(folder, binary), constants.X_OK).then(() => true, () => false)));
    if (!found.includes(true)) missing.push(binary);
  }
  return missing;
}

/** SIGTERM, so a server can write its data, then SIGKILL after `graceMs`; resolves once it has exited. */
export function stopChild(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
    }, graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
