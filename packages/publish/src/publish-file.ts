import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { ComplianceProfile, Warning } from '@wavid/probe';
import { createReadStream } from 'node:fs';
import { InvalidOptionError, PublishError } from './errors.js';
import { gateVideo } from './gate-video.js';
import { redactAndClip, redactUrls } from './http/redact.js';
import { checkLink } from './message.js';
import { checkLinkAnswer, fetchLinkAnswer } from './store/check-link.js';
import { hashFile } from './store/hash-file.js';
import { checkExpiry, MAX_LINK_SECONDS, objectKey, publicUrl } from './store/object-key.js';
import { s3ClientConfig, type StoreConnectionOptions } from './store/s3-config.js';
import type { VideoContentType } from './video-content-type.js';
import { cancelError, type ProgressEvent } from '@wavid/foundation';

/** Lets Meta (and any cache between) keep the video: a key is named by its content, so it never changes. */
export const DEFAULT_CACHE_CONTROL = 'public, max-age=31536000, immutable';

/** lib-storage's smallest part; WhatsApp videos (16 MB at most) take a handful. */
const DEFAULT_PART_SIZE = 5 * 1024 * 1024;

export interface PublishOptions extends StoreConnectionOptions {
  /** The video file. */
  path: string;
  bucket: string;
  /** Folder for the key. Default: none, the key is `<sha256>.mp4`. */
  prefix?: string | undefined;
  /** Lifetime of the presigned link. Default and maximum: 7 days. */
  expiresInSeconds?: number | undefined;
  /** Hand out `<publicBaseUrl>/<key>` instead of a presigned link (a public bucket or a CDN in front of it). */
  publicBaseUrl?: string | undefined;
  /** Rules the file must meet. Default: the `whatsapp` profile. */
  profile?: ComplianceProfile | undefined;
  /** Publish even when the file does not comply. Default false. */
  force?: boolean | undefined;
  /** Default: {@link DEFAULT_CACHE_CONTROL}. */
  cacheControl?: string | undefined;
  /** Multipart part size in bytes. Default 5 MiB, the S3 minimum. */
  partSize?: number | undefined;
  /** Parts uploaded at once. Default 4. */
  queueSize?: number | undefined;
  /** Longest wait for the link check. Default 30 s. */
  linkCheckTimeoutMs?: number | undefined;
  /** A client to reuse across files; the connection options are then ignored. */
  client?: S3Client | undefined;
  signal?: AbortSignal | undefined;
  /** Events with stage `hash`, then `upload`, counting bytes of the file. */
  onProgress?: ((event: ProgressEvent) => void) | undefined;
  /** Clock for `expiresAt`. Default: `Date.now`. */
  now?: (() => number) | undefined;
}

/** A `hash` or `upload` event of `total` bytes. */
function bytesProgress(stage: 'hash' | 'upload', loaded: number, total: number): ProgressEvent {
  return { stage, loaded, total, fraction: total > 0 ? Math.min(1, loaded / total) : 1 };
}

export interface PublishedFile {
  path: string;
  key: string;
  url: string;
  sha256: string;
  sizeBytes: number;
  /** False when an object with this key and size was already stored. */
  uploaded: boolean;
  contentType: VideoContentType;
  /** When a presigned link stops working; null for a public URL. */
  expiresAt: string | null;
  /** Compliance warnings: the file plays on most phones but not all. */
  warnings: Warning[];
  /** Violation codes of a file published with `force`; empty otherwise. */
  violations: string[];
}

/** Creates the S3 client the options describe. */
export function createStoreClient(options: StoreConnectionOptions): S3Client {
  return new S3Client(s3ClientConfig(options));
}

/**
 * Puts a compliant video in an S3-compatible bucket under a key named by its content, and returns a link that
 * has been fetched as Meta would fetch it. An object with the same key and size is not uploaded again.
 * A missing file is an InvalidOptionError (`path`), found before any request.
 */
export async function publishFile(options: PublishOptions): Promise<PublishedFile> {
  const { path, bucket } = options;
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) throw new InvalidOptionError('bucket', (name) => `${name('bucket')} must be an S3 bucket name; got '${bucket}'`);
  const expiresInSeconds = checkExpiry(options.expiresInSeconds ?? MAX_LINK_SECONDS);
  const publicBase = options.publicBaseUrl === undefined ? undefined : checkLink(options.publicBaseUrl, 'publicBaseUrl');
  const client = options.client ?? createStoreClient(options);
  const signal = options.signal;

  const { facts, verdict, contentType } = await gateVideo({ path, profile: options.profile, force: options.force, signal });

  const total = facts.sizeBytes;
  const { sha256, sizeBytes } = await hashFile(path, { signal, onProgress: (loaded) => options.onProgress?.(bytesProgress('hash', loaded, total)) });
  const key = objectKey(options.prefix ?? '', sha256, contentType === 'video/3gpp' ? '3gp' : 'mp4');
  const where = `s3://${bucket}/${key}`;

  const stored = await headObject(client, bucket, key, path, signal);
  const uploaded = !(stored && stored.size === sizeBytes && stored.contentType === contentType);
  if (uploaded) {
    await uploadObject(client, { ...options, key, contentType, sizeBytes, where });
  }
  options.onProgress?.(bytesProgress('upload', sizeBytes, sizeBytes));

  const url = publicBase
    ? publicUrl(publicBase, key)
    : await storeCall(where, path, () => getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: expiresInSeconds }));
  await verifyLink(url, { path, sizeBytes, contentType, signal, timeoutMs: options.linkCheckTimeoutMs ?? 30_000 });
  const now = (options.now ?? Date.now)();
  return {
    path,
    key,
    url,
    sha256,
    sizeBytes,
    uploaded,
    contentType,
    expiresAt: publicBase ? null : new Date(now + expiresInSeconds * 1000).toISOString(),
    warnings: verdict.warnings,
    violations: verdict.violations.map((violation) => violation.code),
  };
}

async function headObject(client: S3Client, bucket: string, key: string, path: string, signal: AbortSignal | undefined) {
  try {
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal });
    return { size: head.ContentLength ?? -1, contentType: head.ContentType ?? null };
  } catch (error) {
    if (signal?.aborted) throw cancelError(signal);
    if (httpStatusOf(error) === 404) return null;
    throw storeError(`s3://${bucket}/${key}`, path, 'check', error);
  }
}

interface UploadTarget extends PublishOptions {
  key: string;
  contentType: string;
  sizeBytes: number;
  where: string;
}

async function uploadObject(client: S3Client, target: UploadTarget): Promise<void> {
  const abortController = new AbortController();
  const upload = new Upload({
    client,
    params: {
      Bucket: target.bucket,
      Key: target.key,
      Body: createReadStream(target.path),
      ContentType: target.contentType,
      CacheControl: target.cacheControl ?? DEFAULT_CACHE_CONTROL,
    },
    partSize: target.partSize ?? DEFAULT_PART_SIZE,
    queueSize: target.queueSize ?? 4,
    // A failed multipart upload is aborted, so no half-made parts are left to pay for.
    leavePartsOnError: false,
    abortController,
  });
  upload.on('httpUploadProgress', (progress) => {
    target.onProgress?.(bytesProgress('upload', progress.loaded ?? 0, target.sizeBytes));
  });
  const onAbort = () => {
    abortController.abort();
  };
  target.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await upload.done();
  } catch (error) {
    if (target.signal?.aborted) throw cancelError(target.signal);
    throw storeError(target.where, target.path, 'upload', error);
  } finally {
    target.signal?.removeEventListener('abort', onAbort);
  }
}

async function verifyLink(
  url: string,
  options: { path: string; sizeBytes: number; contentType: string; signal: AbortSignal | undefined; timeoutMs: number },
): Promise<void> {
  let answer;
  try {
    answer = await fetchLinkAnswer(url, options);
  } catch (error) {
    if (options.signal?.aborted) throw cancelError(options.signal);
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
    throw new PublishError('link-check-failed', `cannot fetch the link ${redactUrls(url)}: ${redactAndClip(cause, [])}`, options.path, { cause: error });
  }
  const problems = checkLinkAnswer(answer, options);
  if (problems.length > 0) {
    throw new PublishError('link-check-failed', `the link ${redactUrls(url)} would not work for WhatsApp: ${problems.map((problem) => problem.message).join('; ')}`, options.path);
  }
}

async function storeCall<T>(where: string, path: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw storeError(where, path, 'sign', error);
  }
}

function httpStatusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
}

/** The PublishError for a failed store call; exported for its tests. */
export function storeError(where: string, path: string, action: 'check' | 'upload' | 'sign', error: unknown): PublishError {
  const name = error instanceof Error ? error.name : 'Error';
  let detail = error instanceof Error ? error.message : String(error);
  if (name === 'CredentialsProviderError') detail = 'no S3 credentials found; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE';
  else if (/region is missing/i.test(detail)) detail = 'no S3 region set; set AWS_REGION or pass a region';
  else if (name !== 'Error' && !detail.includes(name)) detail = `${name}: ${detail}`;
  const status = httpStatusOf(error);
  const verb = { check: 'look up', upload: 'upload', sign: 'sign a link for' }[action];
  // The store's error text can quote a whole answer body: scrubbed of the S3 secrets, then cut.
  const secrets = [process.env.AWS_SECRET_ACCESS_KEY, process.env.AWS_SESSION_TOKEN].filter((secret): secret is string => typeof secret === 'string' && secret.length >= 8);
  return new PublishError('store-failed', `cannot ${verb} ${where}${status ? ` (HTTP ${status})` : ''}: ${redactAndClip(detail, secrets)}`, path, { cause: error });
}
