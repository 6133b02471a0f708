import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readdirSync } from 'node:fs';
import { existsSync, readFileSync } from 'node:fs';
import { checkCompliance, defaultFfprobePath, probe, PROFILES, type ViolationCode, type WarningCode } from '@wavid/probe';
import { samplesDir } from './support/tools.js';

/** The bundled ffprobe, and Debian's newer one where it is installed. */
const FFPROBES = [defaultFfprobePath(), ...(existsSync('/usr/bin/ffprobe') ? ['/usr/bin/ffprobe'] : [])];

/** The verdict every committed sample must get. A new sample without an entry fails the last test. */
const EXPECTED: Record<string, { violations: ViolationCode[]; warnings?: WarningCode[]; reason?: string }> = {
  'compliant.mp4': { violations: [] },
  'compliant-baseline.3gp': { violations: [] },
  'gstreamer-compliant.mp4': { violations: [] },
  'gstreamer-compliant.3gp': { violations: [] },
  'gstreamer-fragmented.mp4': { violations: [], warnings: ['fragmented'] },
  'gstreamer-moov-at-end.mp4': { violations: ['faststart'] },
  'gstreamer-b-frames.mp4': { violations: ['b-frames'] },
  'warn-fragmented.mp4': { violations: [], warnings: ['fragmented'] },
  'warn-rotated.mp4': { violations: [], warnings: ['rotation'] },
  'warn-variable-frame-rate.mp4': { violations: [], warnings: ['variable-frame-rate'] },
  'violation-container.mkv': { violations: ['container'] },
  'violation-no-video.m4a': { violations: ['container', 'no-video'] },
  'violation-video-codec.mp4': { violations: ['video-codec', 'b-frames'] },
  'violation-video-profile.mp4': { violations: ['video-profile'] },
  'violation-b-frames.mp4': { violations: ['b-frames'] },
  'violation-b-frames-fragmented.mp4': { violations: ['b-frames'], warnings: ['fragmented'] },
  'violation-pixel-format.mp4': { violations: ['video-profile', 'pixel-format'] },
  'violation-audio-codec.mp4': { violations: ['audio-codec'] },
  'violation-audio-streams.mp4': { violations: ['audio-streams'] },
  'violation-faststart.mp4': { violations: ['faststart'] },
  'violation-several.mov': { violations: ['container', 'video-profile', 'b-frames', 'faststart'] },
  'violation-mdat-64bit.mp4': { violations: ['mdat-64bit'] },
  'layout-annexb.mp4': { violations: [] },
  'layout-annexb-fragmented.mp4': { violations: [], warnings: ['fragmented'] },
  'layout-co64.mp4': { violations: [] },
  'layout-boxes-before-mdat.mp4': { violations: [] },
  'layout-edit-list.mp4': { violations: [] },
  'mp4box-layout.mp4': { violations: [] },
  'android-mediarecorder.mp4': { violations: ['faststart', 'mdat-64bit'] },
  'gstreamer-avc3.mp4': { violations: [] },
  'gstreamer-qtmux.mov': { violations: ['container'] },
  'quicktime-compliant.mov': { violations: ['container'] },
  'quicktime-no-ftyp.mov': { violations: ['container'] },
  'iphone-style.mov': { violations: ['container', 'video-profile', 'faststart'], warnings: ['rotation'] },
  'bad-empty.mp4': { violations: ['unreadable'], reason: 'empty' },
  'bad-truncated.mp4': { violations: ['unreadable'], reason: 'truncated' },
  'bad-truncated-before-moov.mp4': { violations: ['unreadable'], reason: 'truncated' },
  'bad-png-named.mp4': { violations: ['unreadable'], reason: 'not-media' },
  'bad-random.mp4': { violations: ['unreadable'], reason: 'not-media' },
  'bad-text.mov': { violations: ['unreadable'], reason: 'not-media' },
  'bad-hostile-sample-count.mp4': { violations: ['unreadable'], reason: 'corrupt' },
  'bad-hostile-entry-count.mp4': { violations: ['unreadable'], reason: 'corrupt' },
  'bad-hostile-box-size.mp4': { violations: ['unreadable'], reason: 'truncated' },
  'bad-hostile-64bit-size.mp4': { violations: ['unreadable'], reason: 'truncated' },
  'bad-hostile-sps-length.mp4': { violations: ['unreadable'], reason: 'corrupt' },
  // The esds claims 2^28 bytes; ffprobe reads past it and decodes every frame, so the file is not unreadable.
  'bad-hostile-descriptor-size.mp4': { violations: [] },
  'bad-nested-size-zero.mp4': { violations: ['unreadable'], reason: 'corrupt' },
  'bad-init-segment-only.mp4': { violations: ['unreadable'], reason: 'truncated' },
  'bad-hostile-ctts-emptied.mp4': { violations: ['b-frames'] },
  'bad-hostile-chunk-offset.mp4': { violations: ['unreadable'], reason: 'corrupt' },
  'bad-hostile-avcc-length-size.mp4': { violations: ['unreadable'], reason: 'corrupt' },
  'bad-hostile-first-nal.mp4': { violations: ['unreadable'], reason: 'corrupt' },
  'hostile-keys-in-stbl.mp4': { violations: [] },
  'hostile-keys-in-moov.mp4': { violations: [] },
  'hostile-iloc-in-moov.mp4': { violations: [] },
  'hostile-sgpd-in-traf.mp4': { violations: [], warnings: ['fragmented'] },
  'hostile-keys-in-traf.mp4': { violations: [], warnings: ['fragmented'] },
};

describe('every committed sample gets its verdict', () => {
  it.each(Object.entries(EXPECTED))('%s', async (name, expected) => {
    const facts = await probe(join(samplesDir, name));
    const verdict = checkCompliance(facts, PROFILES.whatsapp);
    expect(verdict.violations.map((violation) => violation.code)).toEqual(expected.violations);
    expect(verdict.ok).toBe(expected.violations.length === 0);
    if (expected.warnings) expect(verdict.warnings.map((warning) => warning.code)).toEqual(expect.arrayContaining(expected.warnings));
    else expect(verdict.warnings).toEqual([]);
    if (expected.reason) expect(facts.problem?.reason).toBe(expected.reason);
  });

  it('the size violation follows the cap', async () => {
    const facts = await probe(join(samplesDir, 'compliant.mp4'));
    expect(checkCompliance(facts, { ...PROFILES.whatsapp, maxSizeBytes: facts.sizeBytes - 1 }).violations.map((v) => v.code)).toEqual(['size']);
    expect(checkCompliance(facts, { ...PROFILES.whatsapp, maxSizeBytes: facts.sizeBytes }).ok).toBe(true);
  });

  it('every sample file has an expected verdict', () => {
    const media = readdirSync(samplesDir).filter((name) => !/\.(sh|mjs|md)$/.test(name));
    expect(media.sort()).toEqual(Object.keys(EXPECTED).sort());
  });
});

describe('facts of committed samples', () => {
  it('reads the rotated sample as displayed sideways', async () => {
    const [video] = (await probe(join(samplesDir, 'warn-rotated.mp4'))).video;
    expect(video).toMatchObject({ codedWidth: 320, codedHeight: 240, displayWidth: 240, displayHeight: 320 });
    expect([90, 270]).toContain(video?.rotation);
  });

  it('reads B-frames from the fragments of a fragmented file, and none where there are none', async () => {
    const withBFrames = await probe(join(samplesDir, 'violation-b-frames-fragmented.mp4'));
    expect(withBFrames.fragmented).toBe(true);
    expect(withBFrames.video[0]?.bFrames).toBe(true);
    const without = await probe(join(samplesDir, 'warn-fragmented.mp4'));
    expect(without.fragmented).toBe(true);
    expect(without.video[0]?.bFrames).toBe(false);
  });

  it('reads B-frames from a file written by GStreamer', async () => {
    expect((await probe(join(samplesDir, 'gstreamer-b-frames.mp4'))).video[0]?.bFrames).toBe(true);
  });

  it('reads the faststart sample without touching the media data', async () => {
    const facts = await probe(join(samplesDir, 'compliant.mp4'));
    expect(facts.topLevelBoxes.map((box) => box.type)).toEqual(['ftyp', 'moov', 'free', 'mdat']);
    expect(facts.moovBeforeMdat).toBe(true);
    expect(facts.bytesRead).toBeLessThan(facts.sizeBytes);
  });
});

describe('layouts real muxers write', () => {
  it.each(FFPROBES)('reads an MP4 with Annex B samples through ffprobe (%s), keeping the box layout', async (ffprobePath) => {
    const facts = await probe(join(samplesDir, 'layout-annexb.mp4'), { ffprobePath });
    expect(facts.problem).toBeNull();
    expect(facts.source).toBe('isobmff+ffprobe');
    expect(facts.container).toBe('mp4');
    expect(facts.brand?.major).toBe('isom');
    expect(facts.topLevelBoxes.map((box) => box.type)).toEqual(['ftyp', 'moov', 'free', 'mdat']);
    expect(facts.moovBeforeMdat).toBe(true);
    expect(facts.video).toMatchObject([{ codec: 'h264', profile: { idc: 77 }, codedWidth: 320, codedHeight: 240, bFrames: false }]);
    expect(facts.audio).toMatchObject([{ codec: 'aac', aacObjectType: 'LC' }]);
    expect(facts.durationSeconds).toBeCloseTo(2, 1);
  });

  it('keeps a fragmented layout when ffprobe answers for the streams', async () => {
    const facts = await probe(join(samplesDir, 'layout-annexb-fragmented.mp4'));
    expect(facts).toMatchObject({ source: 'isobmff+ffprobe', fragmented: true, moovBeforeMdat: true, problem: null });
    expect(facts.topLevelBoxes.filter((box) => box.type === 'moof').length).toBeGreaterThan(1);
  });

  it('calls a file unreadable only when ffprobe cannot decode it either, and says so', async () => {
    const facts = await probe(join(samplesDir, 'bad-hostile-sps-length.mp4'));
    expect(facts.problem?.reason).toBe('corrupt');
    expect(facts.problem?.message).toMatch(/ffprobe cannot read it either/);
    expect(facts.topLevelBoxes.map((box) => box.type)).toEqual(['ftyp', 'moov', 'free', 'mdat']);
  });

  it('reads the same tracks from co64, boxes between moov and mdat, MP4Box and Android layouts as from ffmpeg\'s', async () => {
    const reference = await probe(join(samplesDir, 'compliant.mp4'));
    expect(readFileSync(join(samplesDir, 'layout-co64.mp4')).includes('co64')).toBe(true);
    for (const name of ['layout-co64.mp4', 'layout-boxes-before-mdat.mp4', 'mp4box-layout.mp4', 'android-mediarecorder.mp4', 'violation-mdat-64bit.mp4', 'quicktime-no-ftyp.mov']) {
      const facts = await probe(join(samplesDir, name));
      expect(facts.source, name).toBe('isobmff');
      expect(facts.video, name).toEqual(reference.video);
      expect(facts.audio, name).toEqual(reference.audio);
    }
  });

  it('tells a 64-bit mdat header from a 32-bit one', async () => {
    const mdat = async (name: string) => (await probe(join(samplesDir, name))).topLevelBoxes.find((box) => box.type === 'mdat');
    expect(await mdat('violation-mdat-64bit.mp4')).toMatchObject({ headerSize: 16 });
    expect(await mdat('android-mediarecorder.mp4')).toMatchObject({ headerSize: 16 });
    expect(await mdat('compliant.mp4')).toMatchObject({ headerSize: 8 });
    expect((await probe(join(samplesDir, 'quicktime-compliant.mov'))).topLevelBoxes.map((box) => box.type)).toEqual(['ftyp', 'moov', 'wide', 'mdat']);
  });

  it('reads the in-band parameter sets of avc3 as H.264 Main, and the iPhone layout with its rotation', async () => {
    expect((await probe(join(samplesDir, 'gstreamer-avc3.mp4'))).video).toMatchObject([{ codec: 'h264', codecTag: 'avc3', profile: { idc: 77 } }]);
    const iphone = await probe(join(samplesDir, 'iphone-style.mov'));
    expect(iphone).toMatchObject({ container: 'mov', brand: { major: 'qt  ' }, moovBeforeMdat: false });
    expect(iphone.topLevelBoxes.map((box) => box.type)).toEqual(['ftyp', 'wide', 'mdat', 'moov']);
    expect([90, 270]).toContain(iphone.video[0]?.rotation);
  });
});
