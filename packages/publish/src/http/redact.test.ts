import { expect, it } from 'vitest';
import { redact } from './redact.js';

it('replaces secrets as written and URL-encoded, longest first', () => {
  expect(redact('token abc+/= in /token/abc%2B%2F%3D/x', ['abc+/='])).toBe('token *** in /token/***/x');
  expect(redact('key-long and key', ['key', 'key-long'])).toBe('*** and ***');
  expect(redact('nothing here', [''])).toBe('nothing here');
});
