import { afterEach, expect, it } from 'vitest';
import { storeError } from '../publish-file.js';

const saved = process.env.AWS_SECRET_ACCESS_KEY;
afterEach(() => {
  if (saved === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
  else process.env.AWS_SECRET_ACCESS_KEY = saved;
});

it('cuts a store error body to 300 characters after scrubbing the S3 secret from it', () => {
  process.env.AWS_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
  const body = `<Error><Message>${'a'.repeat(280)} signed with wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY ${'b'.repeat(200_000)}</Message></Error>`;
  const error = Object.assign(new Error(body), { name: 'InternalError', $metadata: { httpStatusCode: 500 } });
  const published = storeError('s3://media/k.mp4', '/v.mp4', 'upload', error);
  expect(published.code).toBe('store-failed');
  expect(published.message.length).toBeLessThan(400);
  expect(published.message).not.toContain('wJal');
  expect(published.message).toContain('(HTTP 500)');
});
