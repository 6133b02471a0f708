import { InvalidOptionError } from '../errors.js';

/** A folder of a bucket: `s3://<bucket>/<prefix>`, the prefix without slashes at its ends ('' for the whole bucket). */
export interface BucketLocation {
  bucket: string;
  prefix: string;
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** True for text that names a bucket location (`s3://...`), valid or not: it is not a local path. */
export function isBucketUrl(text: string): boolean {
  return /^s3:\/\//i.test(text);
}

/**
 * Reads `s3://bucket/prefix`. The bucket must be an S3 bucket name; the prefix may not hold `.` or `..`
 * segments, empty segments, backslashes or control characters, so keys made below it stay below it.
 * `option` names the flag or option in the error.
 */
export function parseBucketUrl(text: string, option: string): BucketLocation {
  const match = /^s3:\/\/([^/]*)\/?(.*)$/i.exec(text);
  const bucket = match?.[1] ?? '';
  if (!match || !BUCKET_NAME.test(bucket)) {
    throw new InvalidOptionError(option, (name) => `${name(option)} must be s3://<bucket>/<prefix> with an S3 bucket name; got '${text}'`);
  }
  const prefix = (match[2] ?? '').replace(/\/+$/, '');
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (prefix !== '' && (prefix.startsWith('/') || /[\\\u0000-\u001f\u007f]/.test(prefix) || prefix.split('/').some((part) => part === '' || part === '.' || part === '..'))) {
    throw new InvalidOptionError(option, (name) => `${name(option)} has a prefix with an empty, '.' or '..' part, a backslash or a control character; got '${text}'`);
  }
  return { bucket, prefix };
}

/** `s3://bucket/key` for messages and manifests. */
export function bucketUrl(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}

/** True when `key` names an object at or below the key prefix `prefix` ('' is the whole bucket). Pure. */
export function isKeyBelow(key: string, prefix: string): boolean {
  return prefix === '' || key === prefix || key.startsWith(`${prefix}/`);
}

/**
 * True when one location lies at or below the other in the same bucket: an object put below one of them is
 * then also below the other (an output listed as an input next run, or written over one). Pure.
 */
export function locationsOverlap(a: BucketLocation, b: BucketLocation): boolean {
  return a.bucket === b.bucket && (isKeyBelow(a.prefix, b.prefix) || isKeyBelow(b.prefix, a.prefix));
}
