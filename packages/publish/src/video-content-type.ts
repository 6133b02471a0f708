import type { MediaFacts } from '@wavid/probe';
import { extname } from 'node:path';

/** The MIME types WhatsApp takes for a video. */
export type VideoContentType = 'video/mp4' | 'video/3gpp';

/**
 * The MIME type a video is stored and uploaded with. The probed container decides, so a 3GP file named `.mp4`
 * is still `video/3gpp`; the file name decides only when there are no facts or the container is unknown.
 */
export function videoContentType(path: string, facts: Pick<MediaFacts, 'container'> | null): VideoContentType {
  const container = facts?.container ?? null;
  if (container !== null) return container === '3gp' ? 'video/3gpp' : 'video/mp4';
  return extname(path).toLowerCase() === '.3gp' ? 'video/3gpp' : 'video/mp4';
}
