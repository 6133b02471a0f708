import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { getBytes, storeFailure, storeStatusOf as statusOf } from '@wavid/publish';

/**
 * The few bucket calls the queue makes. Every object is written with one PUT, which S3 makes visible
 * whole or not at all, so a worker killed mid-upload leaves nothing behind in the bucket.
 */
export interface ObjectStore {
  client: S3Client;
  /** Size of an object, or null when there is none. */
  size(bucket: string, key: string, signal?: AbortSignal): Promise<number | null>;
  putFile(bucket: string, key: string, path: string, contentType: string, signal?: AbortSignal): Promise<void>;
  getFile(bucket: string, key: string, path: string, signal?: AbortSignal): Promise<void>;
  putJson(bucket: string, key: string, value: unknown, signal?: AbortSignal): Promise<void>;
  /** The JSON value of an object, or null when there is none; one larger than publish's MAX_WHOLE_OBJECT_BYTES is refused (`object-too-large`). */
  getJson(bucket: string, key: string, signal?: AbortSignal): Promise<unknown>;
}

export function objectStore(client: S3Client): ObjectStore {
  const call = async <T>(where: string, action: string, signal: AbortSignal | undefined, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw storeFailure(where, action, error);
    }
  };
  return {
    client,
    async size(bucket, key, signal) {
      try {
        const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal });
        return head.ContentLength ?? 0;
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        if (statusOf(error) === 404) return null;
        throw storeFailure(`s3://${bucket}/${key}`, 'look up', error);
      }
    },
    async putFile(bucket, key, path, contentType, signal) {
      const { size } = await stat(path);
      await call(`s3://${bucket}/${key}`, 'upload', signal, () =>
        client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: createReadStream(path), ContentLength: size, ContentType: contentType }), { abortSignal: signal }),
      );
    },
    async getFile(bucket, key, path, signal) {
      await call(`s3://${bucket}/${key}`, 'download', signal, async () => {
        const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal });
        await pipeline(answer.Body as Readable, createWriteStream(path), { signal });
      });
    },
    async putJson(bucket, key, value, signal) {
      await call(`s3://${bucket}/${key}`, 'write', signal, () =>
        client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: JSON.stringify(value), ContentType: 'application/json' }), { abortSignal: signal }),
      );
    },
    async getJson(bucket, key, signal) {
      // Read with publish's cap: a record planted in the bucket is not read whole into memory whatever its size.
      const bytes = await getBytes(client, bucket, key, signal);
      if (bytes === null) return null;
      try {
        return JSON.parse(Buffer.from(bytes).toString('utf8')) as unknown;
      } catch (error) {
        throw storeFailure(`s3://${bucket}/${key}`, 'read', error);
      }
    },
  };
}
