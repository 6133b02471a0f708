import { describe, expect, it } from 'vitest';
import type { JobIdentity } from './job-id.js';
import { inputKey, outputKey, republishJobId, resultKey, videoJobId } from './job-id.js';

const identity: JobIdentity = {
  inputSha256: 'a'.repeat(64),
  settings: { profile: 'whatsapp', maxSizeBytes: 16_000_000, h264Profile: 'main', wavidVersion: '0.1.0' },
  outputs: { bucket: 'media', prefix: 'wavid' },
  destination: null,
};

describe('videoJobId', () => {
  it('is the same for the same bytes and settings, and hex only', () => {
    expect(videoJobId(identity)).toBe(videoJobId({ ...identity, settings: { ...identity.settings } }));
    expect(videoJobId(identity)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes with anything that changes the result', () => {
    const ids = new Set([
      videoJobId(identity),
      videoJobId({ ...identity, inputSha256: 'b'.repeat(64) }),
      videoJobId({ ...identity, settings: { ...identity.settings, maxSizeBytes: 10_000_000 } }),
      videoJobId({ ...identity, settings: { ...identity.settings, h264Profile: 'baseline' } }),
      videoJobId({ ...identity, settings: { ...identity.settings, wavidVersion: '0.2.0' } }),
      videoJobId({ ...identity, outputs: { bucket: 'media', prefix: 'other' } }),
      videoJobId({ ...identity, destination: { kind: 'link', bucket: 'media', prefix: null, expiresInSeconds: null, publicBaseUrl: null } }),
      videoJobId({ ...identity, destination: { kind: 'media-id', provider: 'meta', baseUrl: null } }),
    ]);
    expect(ids.size).toBe(8);
  });
});

describe('republishJobId', () => {
  it('is another job than the one that made the output, one per delivery replaced', () => {
    const made = videoJobId(identity);
    const replaced = { link: null, mediaId: 'media-1', expiresAt: '2026-12-01T00:00:00.000Z' };
    expect(republishJobId(made, replaced)).toBe(republishJobId(made, { ...replaced }));
    expect(republishJobId(made, replaced)).toMatch(/^[0-9a-f]{64}$/);
    const ids = new Set([
      made,
      republishJobId(made, null),
      republishJobId(made, replaced),
      republishJobId(made, { ...replaced, mediaId: 'media-2' }),
      republishJobId(made, { ...replaced, expiresAt: '2026-12-02T00:00:00.000Z' }),
      republishJobId(videoJobId({ ...identity, inputSha256: 'b'.repeat(64) }), replaced),
    ]);
    expect(ids.size).toBe(6);
  });
});

describe('bucket keys', () => {
  it('name inputs and outputs by content and results by job, below the prefix', () => {
    const sha = 'c'.repeat(64);
    expect(inputKey('/runs/', sha, '.MOV')).toBe(`runs/inputs/${sha}.mov`);
    expect(inputKey('', sha, '.weird ext')).toBe(`inputs/${sha}`);
    expect(outputKey('runs', sha)).toBe(`runs/outputs/${sha}.mp4`);
    expect(resultKey('runs', 'f00')).toBe('runs/jobs/f00.json');
  });
});
