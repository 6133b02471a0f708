import { basename } from 'node:path';
import type { ProgressEvent } from '@wavid/foundation';
import type { PublishedByStep, RepublishOptions } from '@wavid/pipeline';
import { publishedBy, untilAborted, type QueuedPrepareDefaults } from './queued-prepare.js';
import type { VideoQueue } from './video-queue.js';

/**
 * The renewal step of a run with workers: a job has a worker publish again, with its own credentials, the
 * output already in the bucket, and returns the new delivery. Its defaults are those of `queuedPrepare`,
 * so the renewal names the same output. A failed job rejects with a QueuedJobError.
 */
export function queuedRepublish(queue: VideoQueue, defaults: Pick<QueuedPrepareDefaults, 'wavidVersion' | 'destination' | 'stagedInput'>) {
  return async (input: string, options: RepublishOptions): Promise<PublishedByStep> => {
    const { signal, replaces } = options;
    const job = {
      profile: options.profile.name,
      maxSizeBytes: options.profile.maxSizeBytes,
      h264Profile: options.h264Profile,
      wavidVersion: defaults.wavidVersion,
      destination: defaults.destination,
      republish: { replaces: replaces ? { link: replaces.link, mediaId: replaces.mediaId ?? null, expiresAt: replaces.expiresAt } : null },
    };
    // The job carries its input too: a worker that finds the output gone from the bucket makes it again.
    const staged = defaults.stagedInput?.(input);
    const handle = staged ? await queue.addStaged({ ...job, name: basename(staged.key), input: staged }) : await queue.add({ ...job, input, signal });
    const onProgress = (progress: ProgressEvent) => {
      options.onProgress?.(progress);
    };
    handle.on('progress', onProgress);
    try {
      return publishedBy(await untilAborted(handle.result(), signal));
    } finally {
      handle.off('progress', onProgress);
    }
  };
}
