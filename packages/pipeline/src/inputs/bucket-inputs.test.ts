import { describe, expect, it } from 'vitest';
import { confineKey } from './bucket-inputs.js';

describe('confineKey', () => {
  it('takes video keys below the prefix as paths below it, control characters and all', () => {
    expect(confineKey('campaign', 'campaign/week 2/teaser.MKV')).toEqual({ kind: 'input', relativePath: 'week 2/teaser.MKV' });
    expect(confineKey('', 'clip.mp4')).toEqual({ kind: 'input', relativePath: 'clip.mp4' });
    expect(confineKey('a/b', 'a/b/red\u001b[31m.mp4')).toEqual({ kind: 'input', relativePath: 'red\u001b[31m.mp4' });
  });

  it.each([
    ['campaign/../escape.mp4'],
    ['campaign/week/../../escape.mp4'],
    ['campaign/./clip.mp4'],
    ['campaign//clip.mp4'],
    ['campaign/'],
    ['campaign/..\\escape.mp4'],
    ['campaign/nul\u0000.mp4'],
    ['campaignx/clip.mp4'],
    ['other/clip.mp4'],
  ])('refuses %j, which would not stay below the output folder', (key) => {
    expect(confineKey('campaign', key)).toEqual({ kind: 'refused', reason: 'unsafe-key' });
  });

  it('refuses a key with a part too long for a file name', () => {
    expect(confineKey('', `${'a'.repeat(300)}.mp4`)).toEqual({ kind: 'refused', reason: 'name-too-long' });
  });

  it('passes over what a folder walk passes over: hidden parts, other extensions', () => {
    expect(confineKey('c', 'c/.hidden/clip.mp4')).toEqual({ kind: 'passed-over' });
    expect(confineKey('c', 'c/notes.txt')).toEqual({ kind: 'passed-over' });
    expect(confineKey('c', 'c/wavid-manifest.json')).toEqual({ kind: 'passed-over' });
  });

  it("passes over the workers' own files when the inputs hold the prefix they travel through", () => {
    expect(confineKey('', 'wavid/outputs/0a1b.mp4', { passOver: ['wavid'] })).toEqual({ kind: 'passed-over' });
    expect(confineKey('', 'wavid/inputs/0a1b.mov', { passOver: ['wavid'] })).toEqual({ kind: 'passed-over' });
    expect(confineKey('media', 'media/wavid/inputs/0a1b.mov', { passOver: ['media/wavid'] })).toEqual({ kind: 'passed-over' });
    expect(confineKey('', 'wavidx/clip.mp4', { passOver: ['wavid'] })).toEqual({ kind: 'input', relativePath: 'wavidx/clip.mp4' });
    expect(confineKey('', 'in/wavid/clip.mp4', { passOver: ['wavid'] })).toEqual({ kind: 'input', relativePath: 'in/wavid/clip.mp4' });
  });
});
