import { describe, expect, it } from 'vitest';
import { nonEmpty } from './non-empty.js';

describe('nonEmpty', () => {
  it('trims a value and treats a blank one as not set', () => {
    expect(nonEmpty(' v23.0 ')).toBe('v23.0');
    expect(nonEmpty('')).toBeUndefined();
    expect(nonEmpty(' \t')).toBeUndefined();
    expect(nonEmpty(undefined)).toBeUndefined();
  });
});
