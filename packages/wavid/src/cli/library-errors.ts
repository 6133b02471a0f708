import { InvalidOptionError, MissingCredentialError } from '@wavid/publish';
import { UsageError } from './usage-error.js';

/** Library option names and the flags that set them. */
const FLAGS: Record<string, string> = {
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
};

/**
 * A mistake the library found before doing anything becomes a usage error (exit 2), worded with the flag
 * names; anything else passes through.
 */
export function asUsageError(error: unknown): unknown {
  if (error instanceof MissingCredentialError) return new UsageError(error.message.replace(/ or pass it in credentials$/, ''));
  if (error instanceof InvalidOptionError) {
    const flag = FLAGS[error.option];
    if (flag === undefined) return new UsageError(error.message);
    const message = error.message.startsWith(`${error.option} `) ? `${flag}${error.message.slice(error.option.length)}` : error.message;
    return new UsageError(message.replace(/\blink or mediaId\b/, '--link, --media-id or --file').replace(/\blink and mediaId\b/, '--link and --media-id'));
  }
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
