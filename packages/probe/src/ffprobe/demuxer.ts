import type { MediaFacts } from '../media-facts.js';

/**
 * The ffmpeg demuxer for each container type the first bytes can be sniffed as (file-type's `ext`).
 * ffmpeg and ffprobe are always told which one to use: left to guess, they also open playlists (HLS),
 * concatenation lists and image sequences, which read other files or URLs named inside the input.
 */
const DEMUXERS: Readonly<Record<string, string>> = {
  mp4: 'mov', mov: 'mov', '3gp': 'mov', '3g2': 'mov', m4v: 'mov', m4a: 'mov', m4b: 'mov', m4p: 'mov', f4v: 'mov', f4p: 'mov', f4a: 'mov', f4b: 'mov',
  mkv: 'matroska', webm: 'matroska',
  avi: 'avi',
  flv: 'flv',
  mts: 'mpegts',
  mpg: 'mpeg',
  asf: 'asf',
  ogg: 'ogg', oga: 'ogg', ogv: 'ogg', ogm: 'ogg', opus: 'ogg', spx: 'ogg',
  mp1: 'mp3', mp2: 'mp3', mp3: 'mp3',
  aac: 'aac',
  ac3: 'ac3',
  wav: 'wav',
  flac: 'flac',
  amr: 'amr',
  aif: 'aiff',
};

/** The demuxer for a sniffed type, or null when wavid does not hand that type to ffmpeg at all. */
export function demuxerForSniffed(ext: string | null): string | null {
  if (ext === null || !Object.hasOwn(DEMUXERS, ext)) return null;
  return DEMUXERS[ext] ?? null;
}

/**
 * The demuxer ffmpeg must be forced to for a probed file: `mov` for ISO-BMFF files wavid read itself (also
 * when ffprobe answered for their streams), else the one for the type its bytes were sniffed as. Null for a file the probe could not identify as
 * media; nothing is decoded from such a file.
 */
export function demuxerFor(facts: Pick<MediaFacts, 'problem' | 'source' | 'detected'>): string | null {
  if (facts.problem !== null) return null;
  // Boxes wavid walked itself, streams perhaps from ffprobe (run with `mov` forced): ISO-BMFF either way.
  if (facts.source === 'isobmff' || facts.source === 'isobmff+ffprobe') return 'mov';
  if (facts.source === 'ffprobe') return demuxerForSniffed(facts.detected?.ext ?? null);
  return null;
}

/** Every demuxer wavid may force, for checks that none of them reads other files. */
export const ALLOWED_DEMUXERS: ReadonlySet<string> = new Set(Object.values(DEMUXERS));
