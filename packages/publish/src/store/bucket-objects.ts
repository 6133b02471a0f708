import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CopyObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { cancelError } from '@wavid/foundation';
import { PublishError } from '../errors.js';
import { bucketUrl } from './bucket-location.js';
import { storeFailure, storeStatusOf as statusOf } from './store-failure.js';

/** One object of a listing. */
export interface ListedObject {
  key: string;
  sizeBytes: number;
}

async function storeCall<T>(where: string, action: string, signal: AbortSignal | undefined, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (signal?.aborted) throw cancelError(signal);
    throw storeFailure(where, action, error);
  }
}

/** Every object whose key starts with `keyPrefix`, page by page, in the store's (byte) order. */
export async function listObjects(client: S3Client, bucket: string, keyPrefix: string, signal?: AbortSignal): Promise<ListedObject[]> {
  const objects: ListedObject[] = [];
  let token: string | undefined;
  do {
    const page = await storeCall(bucketUrl(bucket, keyPrefix), 'list', signal, () =>
      client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: keyPrefix, ContinuationToken: token, EncodingType: 'url' }), { abortSignal: signal }),
    );
    for (const object of page.Contents ?? []) {
      const key = object.Key === undefined ? undefined : decodeKey(object.Key);
      if (key !== undefined) objects.push({ key, sizeBytes: object.Size ?? 0 });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return objects;
}

/**
 * Keys are listed URL-encoded: XML cannot carry every character a key may hold (control characters), and
 * stores fail the whole listing on them otherwise. A key that does not decode is left out.
 */
function decodeKey(encoded: string): string | undefined {
  try {
    return decodeURIComponent(encoded.replace(/\+/g, '%20'));
  } catch {
    return undefined;
  }
}

/** SHA-256 (hex) and size of an object, read as a stream and kept nowhere. */
export async function hashObject(client: S3Client, bucket: string, key: string, signal?: AbortSignal): Promise<{ sha256: string; sizeBytes: number }> {
  return storeCall(bucketUrl(bucket, key), 'read', signal, async () => {
    const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal });
    const hash = createHash('sha256');
    let sizeBytes = 0;
    for await (const chunk of answer.Body as Readable) {
      const bytes = chunk as Buffer;
      hash.update(bytes);
      sizeBytes += bytes.length;
    }
    return { sha256: hash.digest('hex'), sizeBytes };
  });
}

/** Writes an object to `path` (the caller picks a temporary name and renames it). */
export async function downloadObject(client: S3Client, bucket: string, key: string, path: string, signal?: AbortSignal): Promise<void> {
  await storeCall(bucketUrl(bucket, key), 'download', signal, async () => {
    const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal });
    await pipeline(answer.Body as Readable, createWriteStream(path), { signal });
  });
}

/** Size and last change of an object, or null when there is none. */
export async function objectState(client: S3Client, bucket: string, key: string, signal?: AbortSignal): Promise<{ sizeBytes: number; modifiedMs: number } | null> {
  try {
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal });
    return { sizeBytes: head.ContentLength ?? 0, modifiedMs: head.LastModified?.getTime() ?? 0 };
  } catch (error) {
    if (signal?.aborted) throw cancelError(signal);
    if (statusOf(error) === 404) return null;
    throw storeFailure(bucketUrl(bucket, key), 'look up', error);
  }
}

/** Copies an object inside the store, without its bytes passing through this machine. */
export async function copyObject(client: S3Client, from: { bucket: string; key: string }, to: { bucket: string; key: string; contentType: string }, signal?: AbortSignal): Promise<void> {
  // The copy source is `bucket/key` with the key URL-encoded, slashes kept.
  const source = `${from.bucket}/${from.key.split('/').map(encodeURIComponent).join('/')}`;
  await storeCall(bucketUrl(to.bucket, to.key), 'copy to', signal, () =>
    client.send(new CopyObjectCommand({ Bucket: to.bucket, Key: to.key, CopySource: source, ContentType: to.contentType, MetadataDirective: 'REPLACE' }), { abortSignal: signal }),
  );
}

/** Puts small bytes (a manifest, a report) in one PUT: visible whole or not at all. */
export async function putBytes(client: S3Client, bucket: string, key: string, body: Uint8Array | string, contentType: string, signal?: AbortSignal): Promise<void> {
  await storeCall(bucketUrl(bucket, key), 'upload', signal, () => client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }), { abortSignal: signal }));
}

/** Largest object read whole into memory: a manifest or a job's result is far smaller; a bigger one was planted. */
export const MAX_WHOLE_OBJECT_BYTES = 64 * 1024 * 1024;

/**
 * An object's bytes, or null when there is none. For small objects only (a manifest): one larger than
 * `maxBytes` is refused with PublishError `object-too-large`, as it comes in, whatever size the store claims.
 */
export async function getBytes(client: S3Client, bucket: string, key: string, signal?: AbortSignal, maxBytes = MAX_WHOLE_OBJECT_BYTES): Promise<Uint8Array | null> {
  const where = bucketUrl(bucket, key);
  const tooLarge = () => new PublishError('object-too-large', `${where} is larger than ${maxBytes} bytes, more than a file wavid reads whole can be; replace or remove it`, where);
  let body: Readable | undefined;
  try {
    const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal });
    body = answer.Body as Readable | undefined;
    if ((answer.ContentLength ?? 0) > maxBytes) throw tooLarge();
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body ?? []) {
      const bytes = chunk as Buffer;
      size += bytes.length;
      if (size > maxBytes) throw tooLarge();
      chunks.push(bytes);
    }
    return Buffer.concat(chunks, size);
  } catch (error) {
    body?.destroy();
    if (signal?.aborted) throw cancelError(signal);
    if (error instanceof PublishError) throw error;
    if (statusOf(error) === 404) return null;
    throw storeFailure(where, 'read', error);
  }
}
