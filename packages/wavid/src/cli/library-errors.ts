import { InvalidOptionError, MissingCredentialError, missingCredentialProblem, type OptionNamer } from '@wavid/publish/without-store';
import { UsageError } from './usage-error.js';

/** Each library option a command sets, and the flag that sets it; messages about the option name the flag. */
const OPTION_FLAGS: Readonly<Record<string, string>> = {
  to: '--to',
  caption: '--caption',
  link: '--link',
  mediaId: '--media-id',
  status: '--status',
  sizeBytes: '--file',
  path: '--file',
  baseUrl: '--base-url',
  provider: '--provider',
  bucket: '--bucket',
  prefix: '--prefix',
  endpoint: '--endpoint',
  region: '--region',
  expiresInSeconds: '--expires',
  publicBaseUrl: '--public-base-url',
  template: '--template',
  language: '--language',
  recipients: '--recipients',
  video: '--video',
  ratePerSecond: '--rate',
  concurrency: '--concurrency',
  timeoutMs: '--timeout',
  outDir: '--out',
};

/** Names a library option by its flag; an option no flag sets (an environment variable) keeps its name. */
export const flagName: OptionNamer = (option) => OPTION_FLAGS[option] ?? option;

/**
 * A mistake the library found before doing anything becomes a usage error (exit 2), worded with the flag
 * names; anything else passes through.
 */
export function asUsageError(error: unknown): unknown {
  if (error instanceof MissingCredentialError) return new UsageError(missingCredentialProblem(error.provider, error.variable));
  if (error instanceof InvalidOptionError) return new UsageError(error.messageNaming(flagName));
  return error;
}

/** Runs a library call, turning its option errors into usage errors. */
export async function withUsageErrors<T>(call: () => Promise<T> | T): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw asUsageError(error);
  }
}
