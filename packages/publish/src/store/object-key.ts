import { InvalidOptionError } from '../errors.js';

/**
 * `<prefix>/<sha256>.<ext>`: named by content, so the same video is stored once and a key never changes meaning,
 * which is also what lets the object be cached for good.
 */
export function objectKey(prefix: string, sha256: string, extension: 'mp4' | '3gp'): string {
  const trimmed = prefix.replace(/^\/+|\/+$/g, '');
  if (trimmed.split('/').some((segment) => segment === '.' || segment === '..')) {
    throw new InvalidOptionError('prefix', (name) => `${name('prefix')} may not contain '.' or '..' segments; got '${prefix}'`);
  }
  return trimmed === '' ? `${sha256}.${extension}` : `${trimmed}/${sha256}.${extension}`;
}

/** The public URL of a key under a base URL, each key segment escaped. */
export function publicUrl(baseUrl: string, key: string): string {
  const base = baseUrl.replace(/\/+$/, '');
  return `${base}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

/** Longest presigned URL lifetime S3 (SigV4) allows: 7 days. */
export const MAX_LINK_SECONDS = 7 * 24 * 3600;

export function checkExpiry(seconds: number): number {
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_LINK_SECONDS) {
    throw new InvalidOptionError('expiresInSeconds', (name) => `${name('expiresInSeconds')} must be a whole number from 1 to ${MAX_LINK_SECONDS} (7 days); got ${seconds}`);
  }
  return seconds;
}
