import { resolveProfile, type ComplianceProfile } from '@wavid/probe';
import { collectInputs, InputNotFoundError, type InputFile } from '@wavid/pipeline/check';
import { parseSize } from './parse-size.js';
import { UsageError } from './usage-error.js';

/** `--profile` and `--max-size` as one profile; a wrong name or size is a usage error naming the flag. */
export function profileFrom(name: string, maxSize: string | undefined): ComplianceProfile {
  const maxSizeBytes = maxSize === undefined ? undefined : parseSize(maxSize, '--max-size');
  try {
    return resolveProfile(name, { maxSizeBytes });
  } catch (error) {
    throw new UsageError(`--${(error as Error).message}`);
  }
}

/** The files a command works on; a path that does not exist is a usage error. */
export async function inputsFrom(paths: readonly string[]): Promise<InputFile[]> {
  try {
    return await collectInputs(paths);
  } catch (error) {
    if (error instanceof InputNotFoundError) throw new UsageError(error.message);
    throw error;
  }
}
