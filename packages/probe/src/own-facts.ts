import type { MediaFacts } from './media-facts.js';

// What the main thread needs of the probe's own reading, apart from the reader itself: the reader (with
// mp4box and file-type) is loaded by the probe's worker only.

/** What the probe learns from the bytes alone, and whether ffprobe must be asked about the rest. */
export interface OwnFacts {
  facts: MediaFacts;
  /** Set when the file is not ISO-BMFF and may be another media container: ffprobe reads it. */
  ffprobe: { sniffed: boolean } | null;
  /** Set when the moov's boxes add up but the parser could not make sense of them: ffprobe reads the streams. */
  parserFailed: boolean;
}

/** The sniffed type in words: `an MP4 file (video/mp4)`. */
export function describeDetected(facts: MediaFacts): string {
  if (!facts.detected) return 'not a recognised format';
  const article = /^[aeiou]/i.test(facts.detected.ext) ? 'an' : 'a';
  return `${article} ${facts.detected.ext.toUpperCase()} file (${facts.detected.mime})`;
}
