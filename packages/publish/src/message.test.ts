import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from './errors.js';
import { checkBaseUrl, prepareMessage } from './message.js';
import { parsePhoneNumber } from './phone.js';

const rules = { mediaIds: true, statusVideos: false, provider: 'meta' };

describe('parsePhoneNumber', () => {
  it.each([
    ['+4915112345678', '4915112345678'],
    ['4915112345678', '4915112345678'],
    ['+12025550123', '12025550123'],
    ['+12345678', '12345678'],
    ['+123456789012345', '123456789012345'],
  ])('accepts %s', (text, digits) => {
    expect(parsePhoneNumber(text, 'to')).toBe(digits);
  });
  it.each(['+1234567', '+1234567890123456', '01511234567', '+49 151 1234567', '+49-151', 'abc', ''])('refuses %s', (text) => {
    expect(() => parsePhoneNumber(text, 'to')).toThrow(/E\.164/);
  });
});

describe('prepareMessage', () => {
  it('normalises a link message', () => {
    expect(prepareMessage({ to: '+4915112345678', link: 'https://cdn.example.com/a b.mp4', caption: '' }, rules)).toEqual({
      to: '4915112345678',
      media: { kind: 'link', link: 'https://cdn.example.com/a%20b.mp4' },
      caption: null,
    });
  });
  it('refuses both a link and a media id, and neither', () => {
    expect(() => prepareMessage({ to: '+4915112345678', link: 'https://a.example/x', mediaId: '1' }, rules)).toThrow(/not both/);
    expect(() => prepareMessage({ to: '+4915112345678' }, rules)).toThrow(/a video is required/);
  });
  it('refuses status videos where the provider has none, and a recipient on a status video', () => {
    expect(() => prepareMessage({ status: true, link: 'https://a.example/x' }, rules)).toThrow(/cannot post status videos/);
    expect(() => prepareMessage({ status: true, to: '+4915112345678', link: 'https://a.example/x' }, { ...rules, statusVideos: true })).toThrow(/no recipient/);
  });
});

describe('InvalidOptionError', () => {
  it('words its message with the caller’s names for the options, whatever the library calls them', () => {
    const flags: Record<string, string> = { link: '--link', mediaId: '--media-id', caption: '--caption' };
    const named = (option: string) => flags[option] ?? option;
    const caught = (call: () => unknown): InvalidOptionError => {
      try {
        call();
      } catch (error) {
        if (error instanceof InvalidOptionError) return error;
      }
      throw new Error('expected an InvalidOptionError');
    };
    const both = caught(() => prepareMessage({ to: '+4915112345678', link: 'https://a.example/x', mediaId: '1' }, rules));
    expect(both.message).toBe('give either link or mediaId, not both');
    expect(both.messageNaming(named)).toBe('give either --link or --media-id, not both');
    const caption = caught(() => prepareMessage({ to: '+4915112345678', link: 'https://a.example/x', caption: 'x'.repeat(1025) }, rules));
    expect(caption).toMatchObject({ option: 'caption', message: 'caption may be at most 1024 characters; this one has 1025' });
    expect(caption.messageNaming(named)).toBe('--caption may be at most 1024 characters; this one has 1025');
  });
});

describe('checkBaseUrl', () => {
  it('refuses a user name or password in a base URL, without repeating the password', () => {
    expect(() => checkBaseUrl('http://user:hunter2@127.0.0.1:9', 'baseUrl')).toThrow(/may not contain a user name or password/);
    expect(() => checkBaseUrl('http://user:hunter2@127.0.0.1:9', 'baseUrl')).not.toThrow(/hunter2/);
    expect(checkBaseUrl('https://proxy.example/wa', 'baseUrl')).toBe('https://proxy.example/wa');
  });
});
