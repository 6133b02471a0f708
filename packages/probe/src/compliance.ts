import { InvalidOptionError } from '@wavid/foundation';
import type { AudioTrackFacts, MediaFacts, VideoTrackFacts } from './media-facts.js';

/** Violation codes: stable API. A file with any of them does not comply. */
export type ViolationCode =
  | 'unreadable'
  | 'container'
  | 'no-video'
  | 'video-codec'
  | 'video-profile'
  | 'b-frames'
  | 'pixel-format'
  | 'audio-codec'
  | 'audio-streams'
  | 'faststart'
  | 'mdat-64bit'
  | 'sample-descriptions'
  | 'size';

/** Warning codes: things that play on most phones but are worth knowing. They never fail a check. */
export type WarningCode =
  | 'odd-dimensions'
  | 'rotation'
  | 'audio-channels'
  | 'he-aac'
  | 'fragmented'
  | 'variable-frame-rate'
  | 'high-level'
  | 'high-resolution'
  | 'b-frames-unknown'
  | 'extra-video-streams';

export interface Finding<Code extends string> {
  code: Code;
  /** What was found and what is needed, for a person. */
  message: string;
}

export type Violation = Finding<ViolationCode>;
export type Warning = Finding<WarningCode>;

export interface ComplianceVerdict {
  ok: boolean;
  violations: Violation[];
  warnings: Warning[];
}

export type ProfileName = 'whatsapp' | 'whatsapp-status';

/** A set of rules to check against. */
export interface ComplianceProfile {
  name: ProfileName;
  /** Largest file allowed, in bytes. */
  maxSizeBytes: number;
  /** What the size limit is called in messages. */
  sizeLimitLabel: string;
}

export const PROFILES: Readonly<Record<ProfileName, ComplianceProfile>> = {
  whatsapp: { name: 'whatsapp', maxSizeBytes: 16_000_000, sizeLimitLabel: "WhatsApp's 16 MB limit" },
  'whatsapp-status': { name: 'whatsapp-status', maxSizeBytes: 10_000_000, sizeLimitLabel: 'the 10 MB limit for status videos' },
};

export const PROFILE_NAMES = Object.keys(PROFILES) as ProfileName[];

export interface ResolveProfileOptions {
  /** Overrides the profile's size cap. */
  maxSizeBytes?: number | undefined;
}

/** A named profile, with an optional size override. Throws an InvalidOptionError naming the option when either is wrong. */
export function resolveProfile(name: string, options: ResolveProfileOptions = {}): ComplianceProfile {
  const base = PROFILES[name as ProfileName] as ComplianceProfile | undefined;
  if (!base) throw new InvalidOptionError('profile', (option) => `${option('profile')} must be one of ${PROFILE_NAMES.join(', ')}; got '${name}'`);
  const { maxSizeBytes } = options;
  if (maxSizeBytes === undefined) return base;
  if (!Number.isSafeInteger(maxSizeBytes) || maxSizeBytes <= 0) {
    throw new InvalidOptionError('maxSizeBytes', (option) => `${option('maxSizeBytes')} must be a positive whole number of bytes; got ${String(maxSizeBytes)}`);
  }
  return { ...base, maxSizeBytes, sizeLimitLabel: `the ${formatBytes(maxSizeBytes)} limit` };
}

/** H.264 profiles every WhatsApp client decodes: Baseline (66, constrained or not) and Main (77). */
const PLAYABLE_H264_PROFILES = new Set([66, 77]);
/** Level 4.1 covers 1080p30; Android devices that play WhatsApp video do not all go further. */
const MAX_COMFORTABLE_LEVEL = 4.1;
const MAX_COMFORTABLE_PIXELS = 1920 * 1080;

/** Does the file comply with the profile? Pure: facts and a profile in, a verdict out. */
export function checkCompliance(facts: MediaFacts, profile: ComplianceProfile): ComplianceVerdict {
  const violations: Violation[] = [];
  const warnings: Warning[] = [];
  const verdict = () => ({ ok: violations.length === 0, violations, warnings });

  if (facts.problem) {
    violations.push({ code: 'unreadable', message: `${capitalise(facts.problem.message)}.` });
    return verdict();
  }

  if (facts.container !== 'mp4' && facts.container !== '3gp') {
    violations.push({ code: 'container', message: `Container is ${describeContainer(facts.container)}; WhatsApp needs MP4 or 3GP.` });
  }

  const [video, ...otherVideo] = facts.video;
  if (!video) {
    violations.push({ code: 'no-video', message: 'The file has no video track; a video message needs one.' });
  } else {
    checkVideo(video, violations, warnings);
    if (otherVideo.length > 0) {
      warnings.push({ code: 'extra-video-streams', message: `The file has ${facts.video.length} video tracks; players show only the first.` });
    }
  }

  const unplayable = facts.audio.filter((track) => !isPlayableAac(track));
  if (unplayable.length > 0) {
    const codecs = [...new Set(unplayable.map(describeAudio))].join(', ');
    violations.push({ code: 'audio-codec', message: `Audio is ${codecs}; WhatsApp needs AAC (AAC-LC).` });
  }
  if (facts.audio.length > 1) {
    violations.push({ code: 'audio-streams', message: `The file has ${facts.audio.length} audio tracks; WhatsApp allows one.` });
  }
  for (const track of facts.audio) {
    if (track.aacObjectType === 'HE' || track.aacObjectType === 'HEv2') {
      warnings.push({ code: 'he-aac', message: `Audio is ${track.aacObjectType === 'HE' ? 'HE-AAC' : 'HE-AACv2'}; some Android phones play only AAC-LC.` });
    }
    if (track.channels !== null && track.channels > 2) {
      warnings.push({ code: 'audio-channels', message: `Audio has ${track.channels} channels; phones play stereo, so it will be downmixed.` });
    }
  }

  if (facts.moovBeforeMdat === false) {
    violations.push({ code: 'faststart', message: 'The moov box comes after the media data; WhatsApp needs it first (faststart).' });
  }
  if (facts.topLevelBoxes.some((box) => box.type === 'mdat' && box.headerSize >= 16)) {
    // Valid ISO-BMFF, but WhatsApp's parser rejects it; browsers' and some phones' muxers write it.
    violations.push({ code: 'mdat-64bit', message: 'The mdat box is written with a 64-bit size header; WhatsApp fails on it and needs the 32-bit form.' });
  }
  const tracks = [...facts.video.map((track) => ({ kind: 'video', track })), ...facts.audio.map((track) => ({ kind: 'audio', track }))];
  const several = tracks.filter(({ track }) => track.sampleDescriptions.count > 1);
  if (several.length > 0) {
    // ffmpeg plays it, switching entries where stsc says; but the facts describe the first entry, and common muxers write one.
    const counts = several.map(({ kind, track }) => `track ${track.trackId} (${kind}) has ${track.sampleDescriptions.count}`).join(', ');
    violations.push({ code: 'sample-descriptions', message: `Sample descriptions (stsd entries): ${counts}; a file for WhatsApp should have one per track.` });
  }
  if (facts.fragmented) {
    warnings.push({ code: 'fragmented', message: 'The MP4 is fragmented; not every WhatsApp client plays fragmented files.' });
  }

  if (facts.sizeBytes > profile.maxSizeBytes) {
    violations.push({
      code: 'size',
      message: `The file is ${formatBytes(facts.sizeBytes)}, over ${profile.sizeLimitLabel} (${profile.maxSizeBytes.toLocaleString('en-US')} bytes).`,
    });
  }
  return verdict();
}

function checkVideo(video: VideoTrackFacts, violations: Violation[], warnings: Warning[]): void {
  if (video.codec !== 'h264') {
    violations.push({ code: 'video-codec', message: `Video is ${describeCodec(video.codec)}; WhatsApp needs H.264.` });
  } else if (video.profile && !PLAYABLE_H264_PROFILES.has(video.profile.idc)) {
    violations.push({
      code: 'video-profile',
      message: `H.264 profile is ${video.profile.name}; Android needs Baseline, Constrained Baseline or Main.`,
    });
  }
  if (video.bFrames === true) {
    violations.push({ code: 'b-frames', message: 'Video has B-frames (frames stored out of display order); Android needs none.' });
  } else if (video.bFrames === null && video.codec === 'h264') {
    warnings.push({ code: 'b-frames-unknown', message: 'Could not tell whether the video has B-frames.' });
  }
  if ((video.bitDepth !== null && video.bitDepth !== 8) || (video.chromaFormat !== null && video.chromaFormat !== '4:2:0')) {
    violations.push({
      code: 'pixel-format',
      message: `Pixels are ${video.bitDepth ?? '?'}-bit ${video.chromaFormat ?? '?'}${video.hdr ? ' HDR' : ''}; WhatsApp needs 8-bit 4:2:0.`,
    });
  }
  if (video.codedWidth % 2 !== 0 || video.codedHeight % 2 !== 0) {
    warnings.push({ code: 'odd-dimensions', message: `Picture is ${video.codedWidth}x${video.codedHeight}; odd sizes fail on some Android decoders.` });
  }
  if (video.rotation !== 0) {
    warnings.push({ code: 'rotation', message: `Video is stored rotated by ${video.rotation}° and relies on players to turn it.` });
  }
  if (video.variableFrameRate) {
    warnings.push({ code: 'variable-frame-rate', message: 'Frame rate varies; some players drift out of sync with the audio.' });
  }
  if (video.level !== null && video.level > MAX_COMFORTABLE_LEVEL) {
    warnings.push({ code: 'high-level', message: `Level ${formatLevel(video.level)} is above ${MAX_COMFORTABLE_LEVEL}; older phones may not decode it.` });
  }
  if (video.codedWidth * video.codedHeight > MAX_COMFORTABLE_PIXELS) {
    warnings.push({ code: 'high-resolution', message: `Picture is ${video.codedWidth}x${video.codedHeight}, above 1080p; WhatsApp will show it smaller anyway.` });
  }
}

/** AAC-LC plays everywhere; HE-AAC (v1, v2) on most phones (a warning); Main, LTP, SSR and newer types do not. */
function isPlayableAac(track: AudioTrackFacts): boolean {
  return track.codec === 'aac' && (track.aacObjectType === null || track.aacObjectType === 'LC' || track.aacObjectType === 'HE' || track.aacObjectType === 'HEv2');
}

function describeAudio(track: AudioTrackFacts): string {
  if (track.codec !== 'aac') return track.codec;
  return track.aacObjectType === 'other' ? 'an AAC type other than LC or HE' : `AAC ${track.aacObjectType ?? ''}`.trim();
}

const CODEC_NAMES: Record<string, string> = { hevc: 'HEVC (H.265)', vp8: 'VP8', vp9: 'VP9', av1: 'AV1', mpeg4: 'MPEG-4 Part 2', h263: 'H.263', prores: 'ProRes' };

function describeCodec(codec: string): string {
  return CODEC_NAMES[codec] ?? codec;
}

function describeContainer(container: string | null): string {
  if (!container) return 'unknown';
  return container === 'mov' ? 'QuickTime (MOV)' : container.toUpperCase();
}

function formatLevel(level: number): string {
  return level === 1.05 ? '1b' : String(level);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Bytes for people: `15.2 MB` (decimal megabytes, as WhatsApp's limit is stated). */
export function formatBytes(bytes: number): string {
  if (bytes >= 1_000_000) return `${(bytes / 1_000_000).toFixed(bytes >= 100_000_000 ? 0 : 1)} MB`;
  if (bytes >= 1000) return `${(bytes / 1000).toFixed(1)} KB`;
  return `${bytes} bytes`;
}
