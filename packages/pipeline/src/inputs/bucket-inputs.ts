import { extname } from 'node:path';
import { bucketUrl, isKeyBelow, type BucketLocation } from '@wavid/publish/without-store';
import type { createStoreClient } from '@wavid/publish';
import type { InputFile } from './collect-inputs.js';
import { VIDEO_EXTENSIONS } from './collect-inputs.js';

/** Why a key of a listing is not taken as an input: its name would lead out of the output folder or cannot be a file name. */
export type RefusedKeyReason = 'unsafe-key' | 'name-too-long';

export interface RefusedKey {
  key: string;
  reason: RefusedKeyReason;
}

/** A name from a bucket listing: a path below the prefix to work on, one to pass over, or one refused. */
export type KeyVerdict = { kind: 'input'; relativePath: string } | { kind: 'passed-over' } | { kind: 'refused'; reason: RefusedKeyReason };

export interface ConfineKeyOptions {
  /** Key prefixes whose objects are never inputs. Default: none. */
  passOver?: readonly string[] | undefined;
}

/** Longest file name most file systems take, in bytes. */
const MAX_NAME_BYTES = 255;

/**
 * What a key found below `prefix` becomes. Keys are names anyone with write access to the bucket chose, so
 * the part below the prefix must be a relative path that stays below the output folder: no empty, `.` or
 * `..` part, no leading slash, no backslash (a separator elsewhere), no NUL. Hidden parts (`.name`) and
 * keys without a video extension are passed over, as in a folder. Other control characters are allowed
 * in names and escaped wherever a name is printed. Keys at or below a prefix of `options.passOver` (where
 * workers keep their own files: staged inputs, outputs) are passed over: they are not the caller's videos. Pure.
 */
export function confineKey(prefix: string, key: string, options: ConfineKeyOptions = {}): KeyVerdict {
  const start = prefix === '' ? '' : `${prefix}/`;
  if (!key.startsWith(start)) return { kind: 'refused', reason: 'unsafe-key' };
  if (options.passOver?.some((other) => isKeyBelow(key, other))) return { kind: 'passed-over' };
  const below = key.slice(start.length);
  const parts = below.split('/');
  if (below === '' || below.includes('\\') || below.includes('\0') || parts.some((part) => part === '' || part === '.' || part === '..')) {
    return { kind: 'refused', reason: 'unsafe-key' };
  }
  if (parts.some((part) => part.startsWith('.')) || !VIDEO_EXTENSIONS.has(extname(below).toLowerCase())) return { kind: 'passed-over' };
  if (parts.some((part) => Buffer.byteLength(part) > MAX_NAME_BYTES - 16)) return { kind: 'refused', reason: 'name-too-long' };
  return { kind: 'input', relativePath: below };
}

/** Inputs listed from a bucket, with how to read their bytes. */
export interface BucketInputs {
  location: BucketLocation;
  /** `path` is `s3://bucket/key`; `relativePath` the confined key below the prefix. */
  inputs: InputFile[];
  refused: RefusedKey[];
  /** The object an input's path names. */
  objectOf(input: string): { bucket: string; key: string };
  /** The input's content hash and size, read from the store; remembered for {@link BucketInputs.hashed}. */
  hash(input: InputFile, signal?: AbortSignal): Promise<{ sha256: string; sizeBytes: number }>;
  /** What {@link BucketInputs.hash} found for an input path, if it ran. */
  hashed(input: string): { sha256: string; sizeBytes: number } | undefined;
}

/** Lists the video objects below a bucket location, in key order, refusing keys that are not safe names. */
export async function bucketInputs(client: ReturnType<typeof createStoreClient>, location: BucketLocation, options: ConfineKeyOptions & { signal?: AbortSignal | undefined } = {}): Promise<BucketInputs> {
  const { signal } = options;
  const root = bucketUrl(location.bucket, location.prefix);
  const keys = new Map<string, string>();
  const hashes = new Map<string, { sha256: string; sizeBytes: number }>();
  const inputs: InputFile[] = [];
  const refused: RefusedKey[] = [];
  // The store's calls (and the AWS SDK) load only when a bucket is listed.
  const { hashObject, listObjects } = await import('@wavid/publish');
  const listed = await listObjects(client, location.bucket, location.prefix === '' ? '' : `${location.prefix}/`, signal);
  for (const { key } of listed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
    const verdict = confineKey(location.prefix, key, options);
    if (verdict.kind === 'refused') refused.push({ key, reason: verdict.reason });
    if (verdict.kind !== 'input') continue;
    const path = bucketUrl(location.bucket, key);
    keys.set(path, key);
    inputs.push({ path, root, relativePath: verdict.relativePath });
  }
  const objectOf = (input: string) => {
    const key = keys.get(input);
    if (key === undefined) throw new TypeError(`${input} is not an input of ${root}`);
    return { bucket: location.bucket, key };
  };
  return {
    location,
    inputs,
    refused,
    objectOf,
    async hash(input, hashSignal) {
      const { bucket, key } = objectOf(input.path);
      const found = await hashObject(client, bucket, key, hashSignal);
      hashes.set(input.path, found);
      return found;
    },
    hashed: (input) => hashes.get(input),
  };
}
