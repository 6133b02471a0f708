import { describe, expect, it } from 'vitest';
import { videoContentType } from './video-content-type.js';

describe('videoContentType', () => {
  it('follows the probed container, not the file name', () => {
    expect(videoContentType('clip.mp4', { container: '3gp' })).toBe('video/3gpp');
    expect(videoContentType('clip.3gp', { container: 'mp4' })).toBe('video/mp4');
    expect(videoContentType('clip.mov', { container: 'mov' })).toBe('video/mp4');
  });
  it('falls back to the extension only without a known container', () => {
    expect(videoContentType('clip.3gp', null)).toBe('video/3gpp');
    expect(videoContentType('CLIP.3GP', { container: null })).toBe('video/3gpp');
    expect(videoContentType('clip.mp4', null)).toBe('video/mp4');
    expect(videoContentType('clip', null)).toBe('video/mp4');
  });
});
