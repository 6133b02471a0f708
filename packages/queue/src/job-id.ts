import { createHash } from 'node:crypto';
import type { QueuedDestination, RenewedDelivery, VideoJobSettings } from './job-data.js';

/** What makes two jobs the same work: the input's bytes, the rules, where the output and its link go. */
export interface JobIdentity {
  inputSha256: string;
  settings: VideoJobSettings;
  outputs: { bucket: string; prefix: string };
  destination: QueuedDestination | null;
}

/**
 * The job id: a hash of the input's content hash and everything that changes the result, so adding the same
 * video with the same settings twice names one job. Only hex digits: BullMQ keys are joined with ':'.
 */
export function videoJobId(identity: JobIdentity): string {
  const { settings, outputs, destination } = identity;
  const canonical = JSON.stringify([
    'wavid-job-1',
    identity.inputSha256,
    [settings.profile, settings.maxSizeBytes, settings.h264Profile, settings.wavidVersion],
    [outputs.bucket, outputs.prefix],
    destination === null
      ? null
      : destination.kind === 'link'
        ? ['link', destination.bucket, destination.prefix, destination.expiresInSeconds, destination.publicBaseUrl]
        : ['media-id', destination.provider, destination.baseUrl],
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * The id of a renewal of job `of`'s delivery: another for each delivery replaced, so the renewal is not the
 * first job's finished result, and two coordinators renewing the same delivery at once make one job.
 */
export function republishJobId(of: string, replaces: RenewedDelivery | null): string {
  const canonical = JSON.stringify(['wavid-republish-1', of, replaces === null ? null : [replaces.link, replaces.mediaId, replaces.expiresAt]]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** Keys in the bucket, all below the run's prefix. */
export function inputKey(prefix: string, sha256: string, extension: string): string {
  const ext = /^\.[a-z0-9]{1,8}$/i.test(extension) ? extension.toLowerCase() : '';
  return joinKey(prefix, 'inputs', `${sha256}${ext}`);
}

export function outputKey(prefix: string, sha256: string): string {
  return joinKey(prefix, 'outputs', `${sha256}.mp4`);
}

export function resultKey(prefix: string, jobId: string): string {
  return joinKey(prefix, 'jobs', `${jobId}.json`);
}

function joinKey(...parts: string[]): string {
  return parts.map((part) => part.replace(/^\/+|\/+$/g, '')).filter((part) => part !== '').join('/');
}
