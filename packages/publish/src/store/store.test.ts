import { describe, expect, it } from 'vitest';
import { checkLinkAnswer } from './check-link.js';
import { checkExpiry, objectKey, publicUrl } from './object-key.js';
import { s3ClientConfig } from './s3-config.js';

const sha = 'a'.repeat(64);

describe('objectKey and publicUrl', () => {
  it('names the object by content under an optional prefix', () => {
    expect(objectKey('', sha, 'mp4')).toBe(`${sha}.mp4`);
    expect(objectKey('/videos/2025/', sha, '3gp')).toBe(`videos/2025/${sha}.3gp`);
    expect(() => objectKey('a/../b', sha, 'mp4')).toThrow(/'\.\.'/);
    expect(publicUrl('https://cdn.example.com/v/', 'my clips/x.mp4')).toBe('https://cdn.example.com/v/my%20clips/x.mp4');
  });
  it('bounds link lifetimes to 7 days', () => {
    expect(checkExpiry(604_800)).toBe(604_800);
    expect(() => checkExpiry(604_801)).toThrow(/7 days/);
    expect(() => checkExpiry(0)).toThrow();
  });
});

describe('s3ClientConfig', () => {
  it('is path-style with an endpoint, from the option or the SDK variables, and never aws-chunked', () => {
    expect(s3ClientConfig({ env: {} })).toEqual({ requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
    expect(s3ClientConfig({ env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:9000' } })).toMatchObject({ endpoint: 'http://127.0.0.1:9000/', forcePathStyle: true });
    expect(s3ClientConfig({ env: { AWS_ENDPOINT_URL: 'http://a.example', AWS_ENDPOINT_URL_S3: 'http://s3.example' } })).toMatchObject({ endpoint: 'http://s3.example/' });
    expect(s3ClientConfig({ endpoint: 'https://minio.example', region: 'eu-west-1', env: { AWS_ENDPOINT_URL_S3: 'http://s3.example' } })).toMatchObject({
      endpoint: 'https://minio.example/',
      region: 'eu-west-1',
    });
    expect(() => s3ClientConfig({ endpoint: 'minio:9000', env: {} })).toThrow(/endpoint must be an http\(s\) URL/);
  });
});

describe('checkLinkAnswer', () => {
  const expected = { sizeBytes: 100, contentType: 'video/mp4' };
  const good = { status: 200, location: null, contentType: 'video/mp4', contentLength: '100' };
  it('accepts what Meta fetches', () => {
    expect(checkLinkAnswer(good, expected)).toEqual([]);
    expect(checkLinkAnswer({ ...good, contentType: 'video/mp4; charset=binary' }, expected)).toEqual([]);
  });
  it.each([
    [{ status: 302, location: 'https://login.example.com' }, ['redirect']],
    [{ status: 403 }, ['status']],
    [{ contentType: 'application/octet-stream' }, ['content-type']],
    [{ contentLength: null }, ['content-length']],
    [{ contentLength: '99', contentType: null }, ['content-type', 'content-length']],
  ])('refuses %o', (change, codes) => {
    expect(checkLinkAnswer({ ...good, ...change }, expected).map((problem) => problem.code)).toEqual(codes);
  });
});
