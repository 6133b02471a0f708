import { join } from 'node:path';
import type { ProgressEvent } from '@wavid/foundation';
import { getProvider, redactUrls } from '@wavid/publish/without-store';
import { errorRecord, type ErrorRecord } from '../error-record.js';
import { deliver, type Delivery, type Destination } from '../send-prepared-video.js';
import type { ManifestDelivery, ManifestEntry } from '../result-store/manifest.js';
import type { CampaignOptions } from './campaign-options.js';

/**
 * A name for where deliveries go, so a change of bucket, endpoint, provider or account renews them.
 * Only values that are not secret go into it: it is written to the manifest.
 */
export function deliveryTarget(destination: Destination | undefined, env: Readonly<Record<string, string | undefined>> = {}): string | null {
  if (!destination) return null;
  if (destination.kind === 'media-id') {
    const provider = getProvider(destination.provider);
    const account = Object.entries(provider.credentials as Record<string, { env: string; secret: boolean }>)
      .filter(([, spec]) => !spec.secret)
      .map(([key, spec]) => `${key}=${destination.credentials?.[key] ?? env[spec.env] ?? ''}`)
      .join('&');
    return `${provider.name}:${redactUrls(destination.baseUrl ?? 'default')}?${account}`;
  }
  const endpoint = destination.endpoint ?? env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL ?? 'aws';
  const publicUrl = destination.publicBaseUrl ? ` as ${destination.publicBaseUrl}` : '';
  return redactUrls(`s3://${destination.bucket}/${destination.prefix ?? ''} at ${endpoint}${publicUrl}`);
}

/** Step: publishes a fixed output; a refusal is recorded, not thrown (a cancel is). */
export async function publishOutput(
  path: string,
  options: CampaignOptions,
  target: string | null,
  signal: AbortSignal,
): Promise<{ delivery: ManifestDelivery | null; deliveryError: ErrorRecord | null }> {
  if (!options.destination || target === null) return { delivery: null, deliveryError: null };
  try {
    const delivered = await deliver(path, options.destination, { profile: options.profile, env: options.env, signal });
    return { delivery: manifestDelivery(delivered, target), deliveryError: null };
  } catch (error) {
    if (signal.aborted) throw error;
    return { delivery: null, deliveryError: errorRecord(error) };
  }
}

/**
 * Step: publishes again the output of an earlier entry, through the run's renewal step when it has one (a
 * queue's workers), else from `outDir`. A refusal is recorded, not thrown (a cancel is).
 */
export async function republishOutput(job: {
  input: string;
  earlier: ManifestEntry & { output: string };
  options: CampaignOptions;
  target: string | null;
  signal: AbortSignal;
  progress: (event: ProgressEvent) => void;
}): Promise<{ delivery: ManifestDelivery | null; deliveryError: ErrorRecord | null }> {
  const { earlier, options, target, signal } = job;
  const republish = options.republishOutput;
  if (!republish) return publishOutput(join(options.outDir, earlier.output), options, target, signal);
  if (!options.destination || target === null) return { delivery: null, deliveryError: null };
  try {
    const published = await republish(job.input, { profile: options.profile, h264Profile: earlier.settings.h264Profile, replaces: earlier.delivery, signal, onProgress: job.progress });
    return { delivery: published.delivery ? manifestDelivery(published.delivery, target) : null, deliveryError: published.deliveryError };
  } catch (error) {
    if (signal.aborted) throw error;
    return { delivery: null, deliveryError: errorRecord(error) };
  }
}

/** A delivery as the manifest keeps it, with the target it was made for. */
export function manifestDelivery(delivered: Delivery, target: string): ManifestDelivery {
  const expiresAt = delivered.expiresAt;
  return delivered.mediaId !== undefined
    ? { kind: 'media-id', target, link: null, mediaId: delivered.mediaId, expiresAt }
    : { kind: 'link', target, link: delivered.link ?? null, mediaId: null, expiresAt };
}
