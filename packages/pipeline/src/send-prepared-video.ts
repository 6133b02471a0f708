import type { ComplianceProfile } from '@wavid/probe';
import type { createStoreClient } from '@wavid/publish';
import { checkSendVideo, gateVideo, sendVideo, uploadMedia, type ProviderName, type SendResult, type SendVideoOptions } from '@wavid/publish/without-store';
import type { ProgressEvent } from '@wavid/foundation';

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

/** Where a published video can be fetched from. */
export interface Delivery {
  link?: string;
  mediaId?: string;
  expiresAt: string | null;
}

/** The message that carries the video: everything `sendVideo` takes except the video itself. */
export type PreparedVideoMessage = Omit<SendVideoOptions, 'link' | 'mediaId' | 'sizeBytes' | 'env' | 'signal'>;

export interface SendPreparedVideoOptions {
  /** The video file. */
  path: string;
  /** Where the provider fetches it from: a bucket link, or its own media id. */
  destination: Destination;
  /** The message to send once it is published. Default: none, the video is only published. */
  message?: PreparedVideoMessage | undefined;
  /** Rules the file must meet. Default: the `whatsapp` profile. */
  profile?: ComplianceProfile | undefined;
  /** Publish a file that does not comply. Default false. */
  force?: boolean | undefined;
  /** Environment for credentials and endpoints. Default: `process.env`. */
  env?: Readonly<Record<string, string | undefined>> | undefined;
  signal?: AbortSignal | undefined;
  /** `publish` as it starts, then for a link the store's `hash` and `upload`. */
  onProgress?: ((event: ProgressEvent) => void) | undefined;
  /** Clock for the expiry of the link or media id. Default: `Date.now`. */
  now?: (() => number) | undefined;
}

export interface SentPreparedVideo extends Delivery {
  sizeBytes: number;
  /** The provider's answer to the message; null without `message`. */
  sent: SendResult | null;
}

/**
 * Checks a video against its profile, publishes it where the provider can take it from, and sends the message
 * that carries it. The message is checked before anything is uploaded, so a typo in a number costs no upload.
 * Used by `prepare`, by the folder run and by `wavid send --file`.
 */
export async function sendPreparedVideo(options: SendPreparedVideoOptions): Promise<SentPreparedVideo> {
  const { path, destination, message, env, signal, now } = options;
  if (message) checkSendVideo({ ...message, env, signal }, destination.kind === 'link' ? 'link' : 'id');
  options.onProgress?.({ stage: 'publish', fraction: 0 });
  let delivery: Delivery & { sizeBytes: number };
  if (destination.kind === 'link') {
    // The store's upload, and the AWS SDK with it, is loaded only when a link is made.
    const { publishFile } = await import('@wavid/publish');
    const published = await publishFile({
      path,
      bucket: destination.bucket,
      prefix: destination.prefix,
      endpoint: destination.endpoint,
      region: destination.region,
      expiresInSeconds: destination.expiresInSeconds,
      publicBaseUrl: destination.publicBaseUrl,
      client: destination.client,
      profile: options.profile,
      force: options.force,
      env,
      signal,
      now,
      onProgress: options.onProgress,
    });
    delivery = { link: published.url, expiresAt: published.expiresAt, sizeBytes: published.sizeBytes };
  } else {
    const { facts, contentType } = await gateVideo({ path, profile: options.profile, force: options.force, signal });
    const media = await uploadMedia({ provider: destination.provider, path, contentType, credentials: destination.credentials, baseUrl: destination.baseUrl, env, signal, now });
    delivery = { mediaId: media.mediaId, expiresAt: media.expiresAt, sizeBytes: facts.sizeBytes };
  }
  const sent = message ? await sendVideo({ ...message, env, signal, link: delivery.link, mediaId: delivery.mediaId, sizeBytes: delivery.sizeBytes }) : null;
  return { ...delivery, sent };
}

/** Publishes a compliant file to its destination, without a message. Used by `prepare` and to renew an expiring link. */
export async function deliver(
  path: string,
  destination: Destination,
  context: Pick<SendPreparedVideoOptions, 'env' | 'signal' | 'onProgress' | 'now'> & { profile: ComplianceProfile },
): Promise<Delivery> {
  const { link, mediaId, expiresAt } = await sendPreparedVideo({ path, destination, ...context });
  return link === undefined ? { mediaId, expiresAt } : { link, expiresAt };
}
