import { describe, expect, it } from 'vitest';
import { redact, redactAndClip, redactUrls } from './redact.js';

it('replaces secrets as written and URL-encoded, longest first', () => {
  expect(redact('token abc+/= in /token/abc%2B%2F%3D/x', ['abc+/='])).toBe('token *** in /token/***/x');
  expect(redact('key-long and key', ['key', 'key-long'])).toBe('*** and ***');
  expect(redact('nothing here', [''])).toBe('nothing here');
});

describe('redactAndClip', () => {
  const token = 'EAAGm0PX4ZCpsBAKZBqXa9ZCwZCPlkQZD3Yt8ZAHxGqVvLZBnq1Rj0yW';
  it('scrubs a secret that straddles the cut, then cuts', () => {
    const body = `${'x'.repeat(290)} Bearer ${token} more`;
    const message = redactAndClip(body, [token]);
    expect(message).not.toContain('EAAG');
    expect(message).toBe(`${'x'.repeat(290)} Bearer **...`);
    expect(redactAndClip('short', [token])).toBe('short');
  });
});

describe('redactUrls', () => {
  it('hides the password of a user:pass@ URL and the token and signature of a presigned link', () => {
    expect(redactUrls('cannot reach http://admin:hunter2@127.0.0.1:9/x')).toBe('cannot reach http://admin:***@127.0.0.1:9/x');
    expect(redactUrls('https://b.s3.amazonaws.com/k.mp4?X-Amz-Algorithm=AWS4&X-Amz-Security-Token=IQoJb3Jp%2Fz&X-Amz-Signature=abc123 ok')).toBe(
      'https://b.s3.amazonaws.com/k.mp4?X-Amz-Algorithm=AWS4&X-Amz-Security-Token=***&X-Amz-Signature=*** ok',
    );
    expect(redactUrls('https://cdn.example.com/a.mp4 and user@example.com')).toBe('https://cdn.example.com/a.mp4 and user@example.com');
  });
});
