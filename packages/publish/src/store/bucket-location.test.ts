import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../errors.js';
import { isBucketUrl, parseBucketUrl } from './bucket-location.js';

describe('parseBucketUrl', () => {
  it('reads the bucket and the prefix without slashes at its end', () => {
    expect(parseBucketUrl('s3://media/spring/week 2/', '--out')).toEqual({ bucket: 'media', prefix: 'spring/week 2' });
    expect(parseBucketUrl('s3://media', '--out')).toEqual({ bucket: 'media', prefix: '' });
    expect(parseBucketUrl('S3://media/', '--out')).toEqual({ bucket: 'media', prefix: '' });
    expect(isBucketUrl('s3://media')).toBe(true);
    expect(isBucketUrl('./s3:/media')).toBe(false);
  });

  it.each(['s3://', 's3://Media/x', 's3://a/x', 's3://media//x', 's3://media/a/../b', 's3://media/./b', 's3://media/a\\b', 's3://media/a\u001bb'])('refuses %j, naming the option', (text) => {
    expect(() => parseBucketUrl(text, '--out')).toThrow(InvalidOptionError);
    try {
      parseBucketUrl(text, '--out');
    } catch (error) {
      expect((error as InvalidOptionError).option).toBe('--out');
    }
  });
});
