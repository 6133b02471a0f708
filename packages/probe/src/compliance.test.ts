import { describe, expect, it } from 'vitest';
import { checkCompliance, PROFILES, resolveProfile, type ViolationCode, type WarningCode } from './compliance.js';
import type { AudioTrackFacts, MediaFacts, VideoTrackFacts } from './media-facts.js';

const video: VideoTrackFacts = {
  trackId: 1,
  codec: 'h264',
  codecTag: 'avc1',
  profile: { name: 'Main', idc: 77, constraintFlags: 0 },
  level: 3.1,
  codedWidth: 1280,
  codedHeight: 720,
  displayWidth: 1280,
  displayHeight: 720,
  rotation: 0,
  frameRate: 30,
  variableFrameRate: false,
  bitDepth: 8,
  chromaFormat: '4:2:0',
  bFrames: false,
  hdr: false,
  sampleCount: 300,
  durationSeconds: 10,
  sampleDescriptions: { count: 1, copiesOfFirst: true },
};

const audio: AudioTrackFacts = {
  trackId: 2,
  codec: 'aac',
  codecTag: 'mp4a',
  aacObjectType: 'LC',
  channels: 2,
  sampleRate: 48000,
  durationSeconds: 10,
  sampleDescriptions: { count: 1, copiesOfFirst: true },
};

const compliant: MediaFacts = {
  path: 'clip.mp4',
  sizeBytes: 5_000_000,
  detected: { ext: 'mp4', mime: 'video/mp4' },
  container: 'mp4',
  brand: { major: 'isom', minorVersion: 512, compatible: ['isom'] },
  topLevelBoxes: [],
  moovBeforeMdat: true,
  fragmented: false,
  durationSeconds: 10,
  video: [video],
  audio: [audio],
  problem: null,
  source: 'isobmff',
  bytesRead: 4096,
};

function codes(facts: Partial<MediaFacts>, profile = PROFILES.whatsapp): { violations: ViolationCode[]; warnings: WarningCode[] } {
  const verdict = checkCompliance({ ...compliant, ...facts }, profile);
  expect(verdict.ok).toBe(verdict.violations.length === 0);
  for (const finding of [...verdict.violations, ...verdict.warnings]) expect(finding.message.length).toBeGreaterThan(20);
  return { violations: verdict.violations.map((v) => v.code), warnings: verdict.warnings.map((w) => w.code) };
}

const withVideo = (change: Partial<VideoTrackFacts>) => ({ video: [{ ...video, ...change }] });

describe('checkCompliance', () => {
  it('passes a compliant file with no findings', () => {
    expect(codes({})).toEqual({ violations: [], warnings: [] });
  });

  it.each<[string, Partial<MediaFacts>, ViolationCode[]]>([
    ['unreadable', { problem: { reason: 'truncated', message: 'the file is cut short' } }, ['unreadable']],
    ['container', { container: 'mkv' }, ['container']],
    ['no-video', { video: [] }, ['no-video']],
    ['video-codec', withVideo({ codec: 'hevc', profile: null }), ['video-codec']],
    ['video-profile', withVideo({ profile: { name: 'High', idc: 100, constraintFlags: 0 } }), ['video-profile']],
    ['b-frames', withVideo({ bFrames: true }), ['b-frames']],
    ['pixel-format (10-bit)', withVideo({ bitDepth: 10 }), ['pixel-format']],
    ['pixel-format (4:2:2)', withVideo({ chromaFormat: '4:2:2' }), ['pixel-format']],
    ['audio-codec', { audio: [{ ...audio, codec: 'mp3', aacObjectType: null }] }, ['audio-codec']],
    ['audio-codec (AAC Main)', { audio: [{ ...audio, aacObjectType: 'Main' }] }, ['audio-codec']],
    ['audio-codec (xHE-AAC and other types)', { audio: [{ ...audio, aacObjectType: 'other' }] }, ['audio-codec']],
    ['audio-streams', { audio: [audio, { ...audio, trackId: 3 }] }, ['audio-streams']],
    ['faststart', { moovBeforeMdat: false }, ['faststart']],
    ['mdat-64bit', { topLevelBoxes: [{ type: 'ftyp', offset: 0, size: 24, headerSize: 8 }, { type: 'moov', offset: 24, size: 900, headerSize: 8 }, { type: 'mdat', offset: 924, size: 5000, headerSize: 16 }] }, ['mdat-64bit']],
    ['sample-descriptions (copies)', withVideo({ sampleDescriptions: { count: 2, copiesOfFirst: true } }), ['sample-descriptions']],
    ['sample-descriptions (audio, different)', { audio: [{ ...audio, sampleDescriptions: { count: 3, copiesOfFirst: false } }] }, ['sample-descriptions']],
    ['size', { sizeBytes: 16_000_001 }, ['size']],
  ])('reports %s', (_name, facts, expected) => {
    expect(codes(facts).violations).toEqual(expected);
  });

  it('accepts a 32-bit mdat, a 64-bit size on another box, and the wide box before an mdat', () => {
    const boxes = [
      { type: 'ftyp', offset: 0, size: 24, headerSize: 8 },
      { type: 'moov', offset: 24, size: 900, headerSize: 16 },
      { type: 'wide', offset: 924, size: 8, headerSize: 8 },
      { type: 'mdat', offset: 932, size: 5000, headerSize: 8 },
    ];
    expect(codes({ topLevelBoxes: boxes }).violations).toEqual([]);
  });

  it('accepts 3GP, Baseline and Constrained Baseline, and exactly the cap', () => {
    expect(codes({ container: '3gp', sizeBytes: 16_000_000 }).violations).toEqual([]);
    expect(codes(withVideo({ profile: { name: 'Baseline', idc: 66, constraintFlags: 0 } })).violations).toEqual([]);
    expect(codes(withVideo({ profile: { name: 'Constrained Baseline', idc: 66, constraintFlags: 0x40 } })).violations).toEqual([]);
  });

  it('reports only unreadable for a damaged file, whatever else is known', () => {
    expect(codes({ problem: { reason: 'corrupt', message: 'the moov box cannot be parsed' }, container: 'mkv', sizeBytes: 50_000_000 }).violations).toEqual(['unreadable']);
  });

  it('uses the status profile cap of 10,000,000 bytes', () => {
    expect(codes({ sizeBytes: 10_000_001 }, PROFILES['whatsapp-status']).violations).toEqual(['size']);
    expect(codes({ sizeBytes: 10_000_000 }, PROFILES['whatsapp-status']).violations).toEqual([]);
  });

  it('says what was found and what is needed', () => {
    const verdict = checkCompliance({ ...compliant, ...withVideo({ profile: { name: 'High', idc: 100, constraintFlags: 0 } }) }, PROFILES.whatsapp);
    expect(verdict.violations[0]?.message).toBe('H.264 profile is High; Android needs Baseline, Constrained Baseline or Main.');
    const size = checkCompliance({ ...compliant, sizeBytes: 17_250_000 }, PROFILES.whatsapp);
    expect(size.violations[0]?.message).toBe("The file is 17.3 MB, over WhatsApp's 16 MB limit (16,000,000 bytes).");
    const descriptions = checkCompliance(
      { ...compliant, ...withVideo({ sampleDescriptions: { count: 2, copiesOfFirst: true } }), audio: [{ ...audio, sampleDescriptions: { count: 3, copiesOfFirst: false } }] },
      PROFILES.whatsapp,
    );
    expect(descriptions.violations.map((violation) => violation.message)).toEqual([
      'Sample descriptions (stsd entries): track 1 (video) has 2, track 2 (audio) has 3; a file for WhatsApp should have one per track.',
    ]);
  });

  it.each<[string, Partial<MediaFacts>, WarningCode]>([
    ['odd-dimensions', withVideo({ codedWidth: 1279 }), 'odd-dimensions'],
    ['rotation', withVideo({ rotation: 90 }), 'rotation'],
    ['audio-channels', { audio: [{ ...audio, channels: 6 }] }, 'audio-channels'],
    ['he-aac', { audio: [{ ...audio, aacObjectType: 'HE' }] }, 'he-aac'],
    ['fragmented', { fragmented: true }, 'fragmented'],
    ['variable-frame-rate', withVideo({ variableFrameRate: true }), 'variable-frame-rate'],
    ['high-level', withVideo({ level: 5.1 }), 'high-level'],
    ['high-resolution', withVideo({ codedWidth: 3840, codedHeight: 2160 }), 'high-resolution'],
    ['b-frames-unknown', withVideo({ bFrames: null }), 'b-frames-unknown'],
  ])('warns %s without failing', (_name, facts, expected) => {
    const result = codes(facts);
    expect(result.violations).toEqual([]);
    expect(result.warnings).toContain(expected);
  });
});

describe('resolveProfile', () => {
  it('returns the named profile, with a size override', () => {
    expect(resolveProfile('whatsapp').maxSizeBytes).toBe(16_000_000);
    expect(resolveProfile('whatsapp-status', { maxSizeBytes: 5_000_000 })).toMatchObject({ name: 'whatsapp-status', maxSizeBytes: 5_000_000 });
  });

  it('names the option that is wrong', () => {
    expect(() => resolveProfile('telegram')).toThrow(/profile must be one of whatsapp, whatsapp-status/);
    expect(() => resolveProfile('whatsapp', { maxSizeBytes: -1 })).toThrow(/maxSizeBytes must be a positive/);
  });
});
