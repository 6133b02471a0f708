import { basename, dirname, extname, join } from 'node:path';
import { checkCompliance, resolveProfile, type ComplianceProfile, type ComplianceVerdict, type MediaFacts, type ProfileName } from '@wavid/probe';
import { createStoreClient, publishFile, uploadMedia, type ProviderName } from '@wavid/publish';
import { fixVideo, type FixProgress, type RemediationAction } from '@wavid/transcode';
import type { FileActivity } from './progress.js';

/** Publish to an S3-compatible bucket and hand out a link Meta can fetch. */
export interface LinkDestination {
  kind: 'link';
  bucket: string;
  /** Folder for the key `<prefix>/<sha256>.mp4`. */
  prefix?: string | undefined;
  endpoint?: string | undefined;
  region?: string | undefined;
  /** Lifetime of a presigned link. Default and maximum: 7 days. */
  expiresInSeconds?: number | undefined;
  /** Hand out `<publicBaseUrl>/<key>` instead of a presigned link. */
  publicBaseUrl?: string | undefined;
  /** A client to share across calls. */
  client?: ReturnType<typeof createStoreClient> | undefined;
}

/** Upload to a provider's media endpoint and hand out its media id. */
export interface MediaIdDestination {
  kind: 'media-id';
  provider: ProviderName;
  /** Credentials by name; each falls back to its environment variable. */
  credentials?: Readonly<Record<string, string | undefined>> | undefined;
  baseUrl?: string | undefined;
}

export type Destination = LinkDestination | MediaIdDestination;

/** Where `prepare` is in its work. */
export type PrepareStage = 'fix' | 'publish';

export interface PrepareProgress {
  stage: PrepareStage;
  /** The fix's own event while fixing. */
  fix: FixProgress | null;
  /** Share of the current stage done, 0 to 1, when known. */
  fraction: number | null;
  /** What the step is doing, when whoever runs it says more than the stage (a queue worker's `transcode 40% 2.4x`). */
  activity?: FileActivity | undefined;
}

export interface PrepareOptions {
  /** Where the compliant MP4 goes. Default: beside the input, as `<name>.whatsapp.mp4`. */
  output?: string | undefined;
  /** Default: `whatsapp` (16,000,000 bytes). */
  profile?: ProfileName | ComplianceProfile | undefined;
  /** Overrides the profile's size cap. */
  maxSizeBytes?: number | undefined;
  /** Publish the result: a bucket link or a provider media id. Default: none. */
  destination?: Destination | undefined;
  /** H.264 profile of a new encode. Default `main`. */
  h264Profile?: 'main' | 'baseline' | undefined;
  /** x264 threads. Default 0: all cores. */
  threads?: number | undefined;
  /** Environment for credentials and endpoints. Default: `process.env`. */
  env?: Readonly<Record<string, string | undefined>> | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: ((event: PrepareProgress) => void) | undefined;
}

export interface PrepareResult {
  input: string;
  output: string;
  action: RemediationAction;
  /** Why that action, one line per decision. */
  reasons: string[];
  /** The input's verdict. */
  before: ComplianceVerdict;
  /** The output's verdict: it complies, or `prepare` would have thrown. */
  verdict: ComplianceVerdict;
  inputFacts: MediaFacts;
  outputFacts: MediaFacts;
  sizeBytes: number;
  /** Encodes run (0 for a copy). */
  attempts: number;
  link?: string;
  mediaId?: string;
  /** When the link or media id stops working (ISO time); null when it does not expire. */
  expiresAt?: string | null;
}

/** The default output: `clip.mov` becomes `clip.whatsapp.mp4` in the same folder. */
export function defaultOutputPath(input: string): string {
  const name = basename(input, extname(input));
  return join(dirname(input), `${name}.whatsapp.mp4`);
}

function resolvePrepareProfile(options: PrepareOptions): ComplianceProfile {
  const profile = options.profile ?? 'whatsapp';
  if (typeof profile !== 'string') {
    return options.maxSizeBytes === undefined ? profile : { ...profile, maxSizeBytes: options.maxSizeBytes };
  }
  return resolveProfile(profile, { maxSizeBytes: options.maxSizeBytes });
}

function checkDestination(destination: Destination | undefined): void {
  if (destination === undefined) return;
  // Callers from JavaScript can pass anything: check the shape the types promise.
  const kind: string = destination.kind;
  if (kind !== 'link' && kind !== 'media-id') throw new TypeError(`destination.kind must be 'link' or 'media-id'; got '${kind}'`);
  if (destination.kind === 'link' && !destination.bucket) throw new TypeError('destination.bucket must name a bucket');
}

/**
 * Everything an application needs right before it sends one video: probe it, fix it when needed (copy,
 * remux or transcode), and optionally publish it as a link or a provider media id. Rejects with the
 * stages' typed errors: TranscodeError (`cannot-fit`, `unreadable`...), PublishError or ProviderError.
 */
export async function prepare(input: string, options: PrepareOptions = {}): Promise<PrepareResult> {
  if (typeof input !== 'string' || input === '') throw new TypeError('input must be the path of a video file');
  const profile = resolvePrepareProfile(options);
  checkDestination(options.destination);
  const output = options.output ?? defaultOutputPath(input);

  const fixed = await fixVideo({
    input,
    output,
    profile,
    h264Profile: options.h264Profile,
    threads: options.threads,
    signal: options.signal,
    onProgress: (event) => options.onProgress?.({ stage: 'fix', fix: event, fraction: event.fraction }),
  });
  const result: PrepareResult = {
    input,
    output,
    action: fixed.action,
    reasons: fixed.plan.decisions.map((decision) => decision.reason),
    before: checkCompliance(fixed.before, profile),
    verdict: fixed.afterVerdict,
    inputFacts: fixed.before,
    outputFacts: fixed.after,
    sizeBytes: fixed.sizeBytes,
    attempts: fixed.attempts,
  };
  if (options.destination) Object.assign(result, await deliver(output, options.destination, { profile, env: options.env, signal: options.signal, onProgress: options.onProgress }));
  return result;
}

export interface Delivery {
  link?: string;
  mediaId?: string;
  expiresAt: string | null;
}

/** Publishes a compliant file to its destination. Used by `prepare` and to renew an expiring link. */
export async function deliver(
  path: string,
  destination: Destination,
  context: { profile: ComplianceProfile; env?: Readonly<Record<string, string | undefined>> | undefined; signal?: AbortSignal | undefined; onProgress?: ((event: PrepareProgress) => void) | undefined },
): Promise<Delivery> {
  context.onProgress?.({ stage: 'publish', fix: null, fraction: 0 });
  if (destination.kind === 'link') {
    const published = await publishFile({
      path,
      bucket: destination.bucket,
      prefix: destination.prefix,
      endpoint: destination.endpoint,
      region: destination.region,
      expiresInSeconds: destination.expiresInSeconds,
      publicBaseUrl: destination.publicBaseUrl,
      client: destination.client,
      profile: context.profile,
      env: context.env,
      signal: context.signal,
      onProgress: (event) => context.onProgress?.({ stage: 'publish', fix: null, fraction: event.total > 0 ? event.loaded / event.total : null }),
    });
    return { link: published.url, expiresAt: published.expiresAt };
  }
  const media = await uploadMedia({
    provider: destination.provider,
    path,
    credentials: destination.credentials,
    baseUrl: destination.baseUrl,
    env: context.env,
    signal: context.signal,
  });
  return { mediaId: media.mediaId, expiresAt: media.expiresAt };
}
