import { describe, expect, it } from 'vitest';
import { PROFILES } from '@wavid/probe';
import { resolveFixOptions } from './options.js';

describe('resolveFixOptions', () => {
  it('fills in every default', () => {
    expect(resolveFixOptions({ input: 'a.mov', output: 'a.mp4' })).toMatchObject({
      profile: PROFILES.whatsapp, h264Profile: 'main', forceTranscode: false, preset: 'medium', threads: 0, targetFraction: 0.95, maxAttempts: 3, timeoutMs: null,
    });
  });

  it.each([
    [{ input: '' }, /^input must be a file path/],
    [{ h264Profile: 'high' }, /^h264Profile must be 'main' or 'baseline'; got 'high'/],
    [{ preset: 'quick' }, /^preset must be one of/],
    [{ threads: -1 }, /^threads must be/],
    [{ targetFraction: 1.2 }, /^targetFraction must be/],
    [{ maxAttempts: 0 }, /^maxAttempts must be/],
    [{ timeoutMs: 0 }, /^timeoutMs must be/],
  ])('names the option that is wrong: %o', (bad, message) => {
    expect(() => resolveFixOptions({ input: 'a.mov', output: 'a.mp4', ...(bad as object) })).toThrow(message);
  });
});
