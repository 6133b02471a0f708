import { describe, expect, it } from 'vitest';
import { PROFILES } from '@wavid/probe';
import { planRemediation } from './plan-remediation.js';
import { compliantFacts } from './test-facts.js';

const profile = PROFILES.whatsapp;

describe('planRemediation', () => {
  it('copies a file that complies', () => {
    const plan = planRemediation(compliantFacts(), profile);
    expect(plan).toMatchObject({ ok: true, action: 'copy', violations: [], video: 'copy', audio: { kind: 'copy', index: 0 } });
    expect(plan.decisions).toEqual([expect.objectContaining({ subject: 'file', choice: 'copy', codes: [] })]);
  });

  it('fails unreadable input with the plan error code unreadable', () => {
    const plan = planRemediation(compliantFacts({ problem: { reason: 'truncated', message: 'the file was cut short' } }), profile);
    expect(plan).toMatchObject({ ok: false, error: { code: 'unreadable' } });
  });

  it('fails a file without video with no-video', () => {
    const plan = planRemediation(compliantFacts({ video: [] }), profile);
    expect(plan).toMatchObject({ ok: false, error: { code: 'no-video' }, violations: ['no-video'] });
  });

  it.each([
    ['container', compliantFacts({ container: 'mkv', moovBeforeMdat: null })],
    ['faststart', compliantFacts({ moovBeforeMdat: false })],
    ['mdat-64bit', compliantFacts({ topLevelBoxes: [{ type: 'moov', offset: 0, size: 900, headerSize: 8 }, { type: 'mdat', offset: 900, size: 9000, headerSize: 16 }] })],
  ])('remuxes for %s without touching audio or video', (code, facts) => {
    const plan = planRemediation(facts, profile);
    expect(plan).toMatchObject({ ok: true, action: 'remux', violations: [code], video: 'copy', audio: { kind: 'copy', index: 0 } });
    expect(plan.decisions).toContainEqual(expect.objectContaining({ subject: 'container', choice: 'rewrite', codes: [code] }));
  });

  it('says a QuickTime file whose streams comply is remuxed cheaply, into the container asked for', () => {
    const mov = compliantFacts({ container: 'mov', brand: { major: 'qt  ', minorVersion: 512, compatible: ['qt  '] } });
    const plan = planRemediation(mov, profile);
    expect(plan).toMatchObject({ ok: true, action: 'remux', violations: ['container'], video: 'copy' });
    const reason = plan.decisions.find((decision) => decision.subject === 'container')?.reason;
    expect(reason).toMatch(/QuickTime/);
    expect(reason).toMatch(/cheap remux/);
    expect(reason).toMatch(/into an MP4/);
    const into3gp = planRemediation(mov, profile, { container: '3gp' }).decisions.find((decision) => decision.subject === 'container');
    expect(into3gp?.reason).toMatch(/into a 3GP/);
  });

  it('remuxes a file whose moov only ffprobe could read, though its streams comply', () => {
    const plan = planRemediation(compliantFacts({ source: 'isobmff+ffprobe' }), profile);
    expect(plan).toMatchObject({ ok: true, action: 'remux', violations: [], video: 'copy', audio: { kind: 'copy' } });
    expect(plan.decisions.find((decision) => decision.subject === 'container')?.reason).toMatch(/moov box cannot be parsed by wavid's own reader/);
  });

  it('names the 64-bit mdat header in the reason for its remux', () => {
    const plan = planRemediation(compliantFacts({ topLevelBoxes: [{ type: 'mdat', offset: 0, size: 9000, headerSize: 16 }] }), profile);
    expect(plan.decisions.find((decision) => decision.subject === 'container')?.reason).toMatch(/64-bit size header/);
  });

  it('remuxes a track whose extra sample descriptions copy the first into one, copying both streams', () => {
    const plan = planRemediation(compliantFacts({}, { sampleDescriptions: { count: 2, copiesOfFirst: true } }), profile);
    expect(plan).toMatchObject({ ok: true, action: 'remux', violations: ['sample-descriptions'], video: 'copy', audio: { kind: 'copy', index: 0 } });
    expect(plan.decisions).toContainEqual(
      expect.objectContaining({ subject: 'container', choice: 'rewrite', codes: ['sample-descriptions'], reason: expect.stringMatching(/one per track/) as unknown }),
    );
  });

  it('re-encodes a stream coded under different sample descriptions, which a copy would put under the first', () => {
    const video = planRemediation(compliantFacts({}, { sampleDescriptions: { count: 2, copiesOfFirst: false } }), profile);
    expect(video).toMatchObject({ ok: true, action: 'transcode', violations: ['sample-descriptions'], video: 'encode', audio: { kind: 'encode' } });
    expect(video.decisions).toContainEqual(expect.objectContaining({ subject: 'video', choice: 'encode', codes: ['sample-descriptions'] }));
    const audio = planRemediation(compliantFacts({}, {}, [{ sampleDescriptions: { count: 3, copiesOfFirst: false } }]), profile);
    expect(audio).toMatchObject({ ok: true, action: 'remux', violations: ['sample-descriptions'], video: 'copy', audio: { kind: 'encode', index: 0 } });
    expect(audio.decisions).toContainEqual(expect.objectContaining({ subject: 'audio', choice: 'encode', codes: ['sample-descriptions'] }));
    // A dropped second audio track needs no encode.
    const dropped = planRemediation(compliantFacts({}, {}, [{}, { sampleDescriptions: { count: 2, copiesOfFirst: false } }]), profile);
    expect(dropped).toMatchObject({ ok: true, action: 'remux', video: 'copy', audio: { kind: 'copy', index: 0 } });
  });

  it('remuxes for audio-codec and re-encodes only the audio', () => {
    const plan = planRemediation(compliantFacts({}, {}, [{ codec: 'mp3', aacObjectType: null }]), profile);
    expect(plan).toMatchObject({ ok: true, action: 'remux', violations: ['audio-codec'], video: 'copy', audio: { kind: 'encode', index: 0 } });
    expect(plan.decisions).toContainEqual(expect.objectContaining({ subject: 'audio', choice: 'encode', codes: ['audio-codec'] }));
  });

  it.each(['Main', 'LTP', 'SSR', 'other'] as const)('remuxes AAC %s, re-encoding only the audio to AAC-LC', (aacObjectType) => {
    const plan = planRemediation(compliantFacts({}, {}, [{ aacObjectType }]), profile);
    expect(plan).toMatchObject({ ok: true, action: 'remux', video: 'copy', audio: { kind: 'encode', index: 0, channels: 2, sampleRate: 48_000 } });
    expect(plan.decisions).toContainEqual(expect.objectContaining({ subject: 'audio', choice: 'encode', reason: expect.stringMatching(/AAC-LC/) as unknown }));
    expect(plan.decisions).toContainEqual(expect.objectContaining({ subject: 'video', choice: 'copy' }));
  });

  it('re-encodes AAC Main alongside a container fix', () => {
    const plan = planRemediation(compliantFacts({ moovBeforeMdat: false }, {}, [{ aacObjectType: 'Main' }]), profile);
    expect(plan).toMatchObject({ ok: true, action: 'remux', video: 'copy', audio: { kind: 'encode', index: 0 } });
  });

  it.each(['LC', 'HE', 'HEv2'] as const)('keeps AAC %s as it is', (aacObjectType) => {
    expect(planRemediation(compliantFacts({}, {}, [{ aacObjectType }]), profile)).toMatchObject({ ok: true, action: 'copy', audio: { kind: 'copy' } });
    const remux = planRemediation(compliantFacts({ moovBeforeMdat: false }, {}, [{ aacObjectType }]), profile);
    expect(remux).toMatchObject({ ok: true, action: 'remux', audio: { kind: 'copy' } });
  });

  it('copies a first track of AAC-LC when only a dropped track is AAC Main', () => {
    const plan = planRemediation(compliantFacts({}, {}, [{}, { aacObjectType: 'Main' }]), profile);
    expect(plan).toMatchObject({ ok: true, action: 'remux', audio: { kind: 'copy', index: 0 } });
  });

  it('remuxes for audio-streams, keeping the first track', () => {
    const plan = planRemediation(compliantFacts({}, {}, [{}, { channels: 6 }]), profile);
    expect(plan).toMatchObject({ ok: true, action: 'remux', violations: ['audio-streams'], audio: { kind: 'copy', index: 0, channels: 2 } });
    expect(plan.decisions).toContainEqual(expect.objectContaining({ subject: 'audio', choice: 'keep-first', codes: ['audio-streams'] }));
  });

  it.each([
    ['video-codec', compliantFacts({}, { codec: 'hevc', profile: null })],
    ['video-profile', compliantFacts({}, { profile: { name: 'High', idc: 100, constraintFlags: 0 } })],
    ['b-frames', compliantFacts({}, { bFrames: true })],
    ['pixel-format', compliantFacts({}, { bitDepth: 10 })],
    ['size', compliantFacts({ sizeBytes: 20_000_000 })],
  ])('transcodes for %s, re-encoding the audio to fit the budget', (code, facts) => {
    const plan = planRemediation(facts, profile);
    expect(plan).toMatchObject({ ok: true, action: 'transcode', violations: [code], video: 'encode', audio: { kind: 'encode', index: 0 } });
    expect(plan.decisions).toContainEqual(expect.objectContaining({ subject: 'video', choice: 'encode', codes: [code] }));
  });

  it('transcodes when a remux would still be over the cap', () => {
    const plan = planRemediation(compliantFacts({ container: 'mkv', moovBeforeMdat: null, sizeBytes: 17_000_000 }), profile);
    expect(plan).toMatchObject({ ok: true, action: 'transcode', violations: ['container', 'size'] });
  });

  it('checks the size against the profile it is given', () => {
    const status = { ...PROFILES['whatsapp-status'] };
    expect(planRemediation(compliantFacts({ sizeBytes: 12_000_000 }), status)).toMatchObject({ action: 'transcode', violations: ['size'] });
  });

  it('plans a file without audio with no audio stream', () => {
    const plan = planRemediation(compliantFacts({ moovBeforeMdat: false }, {}, []), profile);
    expect(plan).toMatchObject({ ok: true, action: 'remux', audio: { kind: 'none' } });
  });

  it('re-encodes a compliant file when asked to', () => {
    const plan = planRemediation(compliantFacts(), profile, { forceTranscode: true });
    expect(plan).toMatchObject({ ok: true, action: 'transcode', video: 'encode', violations: [] });
  });

  it('does not act on warnings alone (rotation, odd size, variable frame rate)', () => {
    const facts = compliantFacts({}, { rotation: 90, codedWidth: 1279, variableFrameRate: true });
    expect(planRemediation(facts, profile)).toMatchObject({ ok: true, action: 'copy' });
  });
});
