import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../errors.js';
import { isBucketUrl, isKeyBelow, locationsOverlap, parseBucketUrl } from './bucket-location.js';

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

describe('locationsOverlap', () => {
  it.each([
    [{ bucket: 'b', prefix: 'media/in' }, { bucket: 'b', prefix: 'media/in/ready' }, true],
    [{ bucket: 'b', prefix: 'media/in' }, { bucket: 'b', prefix: 'media' }, true],
    [{ bucket: 'b', prefix: 'media' }, { bucket: 'b', prefix: 'media' }, true],
    [{ bucket: 'b', prefix: '' }, { bucket: 'b', prefix: 'ready' }, true],
    [{ bucket: 'b', prefix: 'ready' }, { bucket: 'b', prefix: '' }, true],
    [{ bucket: 'b', prefix: 'media/in' }, { bucket: 'b', prefix: 'media/input' }, false],
    [{ bucket: 'b', prefix: 'media/input' }, { bucket: 'b', prefix: 'media/in' }, false],
    [{ bucket: 'b', prefix: 'in' }, { bucket: 'b', prefix: 'ready' }, false],
    [{ bucket: 'b', prefix: '' }, { bucket: 'c', prefix: '' }, false],
  ])('%j and %j overlap: %s', (a, b, overlap) => {
    expect(locationsOverlap(a, b)).toBe(overlap);
  });
});

describe('isKeyBelow', () => {
  it.each([
    ['wavid/outputs/a.mp4', 'wavid', true],
    ['wavid', 'wavid', true],
    ['anything.mp4', '', true],
    ['wavidx/a.mp4', 'wavid', false],
    ['in/wavid/a.mp4', 'wavid', false],
  ])('%j is below %j: %s', (key, prefix, below) => {
    expect(isKeyBelow(key, prefix)).toBe(below);
  });
});
