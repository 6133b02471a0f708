import { basename } from 'node:path';
import { InvalidOptionError } from './errors.js';
import { probeVideo } from './gate-video.js';
import { refusedError, sendHttp } from './http/send-http.js';
import { getProvider } from './providers/index.js';
import { requireFile } from './require-file.js';
import { callSettings, connection, type ProviderCallOptions } from './send-video.js';
import { videoContentType } from './video-content-type.js';

export interface UploadMediaOptions extends ProviderCallOptions {
  /** The video file. */
  path: string;
  /** Default: from the probed container, as {@link videoContentType} decides it. */
  contentType?: string | undefined;
  /** Clock for `expiresAt`; tests pass a fixed one. Default: `Date.now`. */
  now?: (() => number) | undefined;
}

export interface UploadedMedia {
  mediaId: string;
  /** When the id stops working, as an ISO date; null when the provider does not say. */
  expiresAt: string | null;
}

/**
 * Uploads a video to the provider's media endpoint and returns the id to send it by. It is not checked for
 * compliance here (see gateVideo); a file that cannot be read to find its type is PublishError `read-failed`.
 */
export async function uploadMedia(options: UploadMediaOptions): Promise<UploadedMedia> {
  const provider = getProvider(options.provider);
  if (!provider.mediaRequest || !provider.parseMediaAnswer) {
    throw new InvalidOptionError('provider', () => `${provider.name} takes links only and has no media upload`);
  }
  await requireFile(options.path);
  const { credentials, baseUrl, secrets } = connection(provider, options);
  const contentType = options.contentType ?? videoContentType(options.path, await probeVideo(options.path, options.signal));
  const request = provider.mediaRequest({ path: options.path, filename: basename(options.path), contentType }, { credentials, baseUrl });
  const context = { provider: provider.name, title: provider.title, secrets };
  const answer = await sendHttp(request, { ...context, ...callSettings(options, 300_000) });
  const outcome = provider.parseMediaAnswer(answer);
  if (!outcome.ok) throw refusedError(answer, outcome, context);
  const now = (options.now ?? Date.now)();
  const lifetime = provider.mediaIdLifetimeDays;
  return { mediaId: outcome.mediaId, expiresAt: lifetime === null ? null : new Date(now + lifetime * 86_400_000).toISOString() };
}
