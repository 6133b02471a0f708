import { checkCompliance, type AacObjectType, type AudioTrackFacts, type ComplianceProfile, type MediaFacts, type VideoTrackFacts, type ViolationCode } from '@wavid/probe';

/** How much work a file needs: copy the bytes, rewrite the container, or re-encode the picture. */
export type RemediationAction = 'copy' | 'remux' | 'transcode';

/** Why no plan can make the file comply. */
export type PlanErrorCode = 'unreadable' | 'no-video';

/** What happens to the audio: none to keep, the chosen track copied as is, or re-encoded to AAC-LC. */
export type AudioPlan =
  | { kind: 'none' }
  | { kind: 'copy'; /** Position among the file's audio tracks (ffmpeg's `0:a:N`). */ index: number; channels: number | null; sampleRate: number | null }
  | { kind: 'encode'; index: number; channels: number | null; sampleRate: number | null };

/** One decision of the plan, with the violations that forced it. Data, so reports can show it. */
export interface PlanDecision {
  subject: 'file' | 'container' | 'video' | 'audio';
  /** What is done to the subject. */
  choice: 'copy' | 'rewrite' | 'encode' | 'keep-first' | 'none';
  /** The violations this decision answers; empty when nothing was wrong. */
  codes: ViolationCode[];
  /** Why, for a person. */
  reason: string;
}

interface PlanBase {
  /** Every violation the input has, in the probe's order. */
  violations: ViolationCode[];
  decisions: PlanDecision[];
}

export type RemediationPlan =
  | (PlanBase & { ok: true; action: RemediationAction; video: 'copy' | 'encode'; audio: AudioPlan })
  | (PlanBase & { ok: false; error: { code: PlanErrorCode; message: string } });

/** The containers wavid writes: WhatsApp takes `video/mp4` and `video/3gpp`. */
export type OutputContainer = 'mp4' | '3gp';

export interface PlanOptions {
  /** Re-encode the picture even when a copy or remux would do (for example to get Baseline). Default false. */
  forceTranscode?: boolean | undefined;
  /** The container a remux or transcode writes, named in the reasons. Default `mp4`. */
  container?: OutputContainer | undefined;
}

/** Violations only a new video encode fixes. */
const VIDEO_CODES: readonly ViolationCode[] = ['video-codec', 'video-profile', 'b-frames', 'pixel-format'];
/** Violations a new container fixes without touching the picture. */
const CONTAINER_CODES: readonly ViolationCode[] = ['container', 'faststart', 'mdat-64bit', 'sample-descriptions'];

/** AAC object types Android phones play badly. HE and HEv2 mostly play, so they only earn a warning and are kept. */
const NON_LC_AAC: readonly AacObjectType[] = ['Main', 'LTP', 'SSR', 'other'];

/**
 * The least work that makes the file comply, as data. Pure: facts and a profile in, a plan out.
 * `copy` when the file complies; `remux` when only the container or the audio is wrong (AAC other than
 * LC, HE or HEv2 counts as wrong audio even when the probe's rules let it pass); `transcode`
 * when the picture is, or when the file is over the cap (a remux keeps the picture's bytes, so it
 * cannot shrink a file enough to count on). A track with several sample descriptions is remuxed into
 * one when the others copy the first, and re-encoded when they differ (one entry cannot describe it).
 */
export function planRemediation(facts: MediaFacts, profile: ComplianceProfile, options: PlanOptions = {}): RemediationPlan {
  const verdict = checkCompliance(facts, profile);
  const violations = verdict.violations.map((violation) => violation.code);
  const has = (code: ViolationCode) => violations.includes(code);
  const messageOf = (code: ViolationCode) => verdict.violations.find((violation) => violation.code === code)?.message ?? code;

  if (has('unreadable')) {
    return { ok: false, violations, decisions: [], error: { code: 'unreadable', message: messageOf('unreadable') } };
  }
  if (has('no-video')) {
    return { ok: false, violations, decisions: [], error: { code: 'no-video', message: messageOf('no-video') } };
  }

  const decisions: PlanDecision[] = [];
  const firstAudio = facts.audio[0];
  const audioFacts = firstAudio ? { index: 0, channels: firstAudio.channels, sampleRate: firstAudio.sampleRate } : null;

  // Decided here as well as by the probe's rules, so the audio is fixed whichever of them reports it.
  const aacNotLc = firstAudio?.codec === 'aac' && firstAudio.aacObjectType !== null && NON_LC_AAC.includes(firstAudio.aacObjectType);

  // A moov only ffprobe could read is rewritten by ffmpeg's muxer rather than sent on: WhatsApp's parser is no laxer than ours.
  const moovOnlyFfprobeReads = facts.source === 'isobmff+ffprobe';

  if (verdict.ok && !aacNotLc && !moovOnlyFfprobeReads && !options.forceTranscode) {
    decisions.push({ subject: 'file', choice: 'copy', codes: [], reason: 'The file already complies; its bytes are copied unchanged.' });
    return { ok: true, action: 'copy', violations, decisions, video: 'copy', audio: audioFacts ? { kind: 'copy', ...audioFacts } : { kind: 'none' } };
  }

  const videoCodes = violations.filter((code) => VIDEO_CODES.includes(code));
  const mixedVideo = facts.video[0] !== undefined && describedDifferently(facts.video[0]);
  const sizeCodes = violations.filter((code) => code === 'size');
  const encodeVideo = videoCodes.length > 0 || mixedVideo || sizeCodes.length > 0 || options.forceTranscode === true;
  if (encodeVideo) {
    const codes: ViolationCode[] = [...videoCodes, ...(mixedVideo ? (['sample-descriptions'] as const) : []), ...sizeCodes];
    const why = [
      videoCodes.length > 0 ? 'the picture itself does not comply' : null,
      mixedVideo ? 'its samples are coded under different sample descriptions, which one entry cannot describe' : null,
      sizeCodes.length > 0 ? `the file is over ${profile.sizeLimitLabel} and a remux keeps the picture's bytes` : null,
      options.forceTranscode && codes.length === 0 ? 'a new encode was asked for' : null,
    ].filter((part) => part !== null);
    decisions.push({ subject: 'video', choice: 'encode', codes, reason: `Re-encode the video to H.264 without B-frames: ${why.join('; ')}.` });
  } else {
    decisions.push({ subject: 'video', choice: 'copy', codes: [], reason: 'The H.264 stream complies; it is copied without re-encoding.' });
  }

  const containerCodes = violations.filter((code) => CONTAINER_CODES.includes(code));
  decisions.push({
    subject: 'container',
    choice: 'rewrite',
    codes: containerCodes,
    reason: containerReason(facts, containerCodes, { encodeVideo, container: options.container ?? 'mp4' }),
  });

  let audio: AudioPlan = { kind: 'none' };
  if (audioFacts && firstAudio) {
    const audioCodes = violations.filter((code) => code === 'audio-codec' || code === 'audio-streams');
    if (facts.audio.length > 1) {
      decisions.push({ subject: 'audio', choice: 'keep-first', codes: ['audio-streams'], reason: `Keep the first of ${facts.audio.length} audio tracks and drop the rest.` });
    }
    // A new encode is sized to the budget, so its audio is re-encoded too; a remux keeps AAC as it is.
    const wrongCodec = firstAudio.codec !== 'aac' || aacNotLc;
    const mixedAudio = describedDifferently(firstAudio);
    const reencode = encodeVideo || wrongCodec || mixedAudio;
    audio = reencode ? { kind: 'encode', ...audioFacts } : { kind: 'copy', ...audioFacts };
    decisions.push({
      subject: 'audio',
      choice: reencode ? 'encode' : 'copy',
      codes: [...(wrongCodec ? audioCodes.filter((code) => code === 'audio-codec') : []), ...(mixedAudio ? (['sample-descriptions'] as const) : [])],
      reason: firstAudio.codec !== 'aac'
        ? `Audio is ${firstAudio.codec}; re-encode it to AAC-LC.`
        : aacNotLc
          ? `Audio is ${firstAudio.aacObjectType === 'other' ? 'AAC of an unusual object type' : `AAC ${firstAudio.aacObjectType ?? ''}`}, which Android plays badly; re-encode it to AAC-LC.`
          : mixedAudio
            ? 'The audio is coded under different sample descriptions; re-encode it to AAC-LC under one.'
            : reencode
              ? 'Re-encode the audio to AAC-LC at a bitrate that fits the size budget.'
              : 'The AAC audio is copied as it is.',
    });
  } else {
    decisions.push({ subject: 'audio', choice: 'none', codes: [], reason: 'The file has no audio.' });
  }

  return { ok: true, action: encodeVideo ? 'transcode' : 'remux', violations, decisions, video: encodeVideo ? 'encode' : 'copy', audio };
}

/** Several sample descriptions that are not all copies of the first: a copied stream would keep only the first. */
function describedDifferently(track: VideoTrackFacts | AudioTrackFacts): boolean {
  return track.sampleDescriptions.count > 1 && !track.sampleDescriptions.copiesOfFirst;
}

/** Why the container is rewritten, naming what was wrong with the old one and what the new one is. */
function containerReason(facts: MediaFacts, codes: readonly ViolationCode[], output: { encodeVideo: boolean; container: OutputContainer }): string {
  const name = output.container === '3gp' ? '3GP' : 'MP4';
  const aName = output.container === '3gp' ? 'a 3GP' : 'an MP4';
  const parts: string[] = [];
  if (codes.includes('container')) {
    parts.push(
      facts.container === 'mov'
        ? `The file is QuickTime (MOV), which WhatsApp does not take; ${output.encodeVideo ? 'the new streams go' : 'its streams comply, so a cheap remux copies them without re-encoding'} into ${aName}.`
        : `The container is ${facts.container === null ? 'unknown' : facts.container.toUpperCase()}; the streams go into ${aName}.`,
    );
  }
  if (codes.includes('faststart')) parts.push(`The new ${name} has the moov box before the media data.`);
  if (codes.includes('mdat-64bit')) parts.push(`The mdat box has a 64-bit size header, which WhatsApp fails on; the new ${name} writes the 32-bit form.`);
  if (codes.includes('sample-descriptions')) parts.push(`A track has several sample descriptions (stsd entries); the new ${name} has one per track.`);
  if (facts.source === 'isobmff+ffprobe') {
    parts.push(`The moov box cannot be parsed by wavid's own reader (ffprobe read the streams); a remux writes a standard ${name}.`);
  }
  if (parts.length === 0) return `The new streams go into a new ${name} with the moov box first.`;
  return parts.join(' ');
}
