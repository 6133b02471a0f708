import { describe, expect, it } from 'vitest';
import { emptyFacts } from '../probe.js';
import { ALLOWED_DEMUXERS, demuxerFor, demuxerForSniffed } from './demuxer.js';
import { frameTypeArgs, streamInfoArgs } from './ffprobe-args.js';

describe('demuxerFor', () => {
  it('is mov for files wavid read as ISO-BMFF, else the demuxer of the sniffed type', () => {
    expect(demuxerFor({ ...emptyFacts('/a.mp4'), source: 'isobmff' })).toBe('mov');
    expect(demuxerFor({ ...emptyFacts('/a.mp4'), source: 'isobmff+ffprobe', detected: { ext: 'mp4', mime: 'video/mp4' } })).toBe('mov');
    expect(demuxerFor({ ...emptyFacts('/a.mkv'), source: 'ffprobe', detected: { ext: 'webm', mime: 'video/webm' } })).toBe('matroska');
    expect(demuxerFor({ ...emptyFacts('/a.ts'), source: 'ffprobe', detected: { ext: 'mts', mime: 'video/mp2t' } })).toBe('mpegts');
  });
  it('is null for a file that is not identified media', () => {
    expect(demuxerFor({ ...emptyFacts('/a.mp4', 10, { reason: 'not-media', message: 'text' }), source: 'none' })).toBeNull();
    expect(demuxerFor({ ...emptyFacts('/a.mp4', 10, { reason: 'corrupt', message: 'x' }), source: 'isobmff' })).toBeNull();
    expect(demuxerFor({ ...emptyFacts('/a.mp4'), source: 'none' })).toBeNull();
    expect(demuxerForSniffed(null)).toBeNull();
    expect(demuxerForSniffed('constructor')).toBeNull();
    expect(demuxerForSniffed('png')).toBeNull();
  });
  it('never names a playlist, concatenation, image-sequence or device format', () => {
    for (const name of ['hls', 'applehttp', 'concat', 'ffconcat', 'image2', 'dash', 'sdp', 'rtsp', 'tee', 'lavfi', 'data', 'subviewer']) {
      expect(ALLOWED_DEMUXERS.has(name)).toBe(false);
    }
  });
});

describe('ffprobe arguments', () => {
  const input = { path: '/in/http:127.0.0.1:8080?x.mkv', demuxer: 'matroska' };
  it('open only files, with the demuxer forced and the path as a file: URL', () => {
    expect(streamInfoArgs(input)).toEqual([
      '-v', 'error', '-print_format', 'json', '-show_format', '-show_streams',
      '-protocol_whitelist', 'file', '-f', 'matroska', '-i', 'file:/in/http:127.0.0.1:8080?x.mkv',
    ]);
    expect(frameTypeArgs(input).slice(-6)).toEqual(['-protocol_whitelist', 'file', '-f', 'matroska', '-i', 'file:/in/http:127.0.0.1:8080?x.mkv']);
  });
  it('refuse a relative path', () => {
    expect(() => streamInfoArgs({ path: 'http:127.0.0.1:8080?x.mkv', demuxer: 'matroska' })).toThrow(TypeError);
  });
});
