import { describe, expect, it } from 'vitest';
import { remuxArgs } from './ffmpeg/remux-args.js';
import { outputContainerFor, outputExtensionFor } from './output-container.js';

describe('output container', () => {
  it('keeps 3GP for a .3gp input and writes MP4 for any other, QuickTime included', () => {
    expect(outputExtensionFor('clips/call.3gp')).toBe('.3gp');
    expect(outputExtensionFor('clips/CALL.3GP')).toBe('.3gp');
    expect(outputExtensionFor('clips/trip.mov')).toBe('.mp4');
    expect(outputExtensionFor('clips/old.3g2')).toBe('.mp4');
    expect(outputExtensionFor('clips/noext')).toBe('.mp4');
  });

  it('picks ffmpeg\'s muxer from the output name', () => {
    expect(outputContainerFor('out/call.3gp')).toBe('3gp');
    expect(outputContainerFor('out/call.mp4')).toBe('mp4');
    const audio = { kind: 'copy', index: 0, channels: 2, sampleRate: 48_000 } as const;
    const into3gp = remuxArgs({ input: { path: '/v/a.3gp', demuxer: 'mov' }, output: '/v/b.3gp', audio, audioBitrate: 96_000, container: '3gp' }).outputArgs;
    expect(into3gp.slice(-2)).toEqual(['-f', '3gp']);
    expect(into3gp).toContain('+faststart');
    expect(remuxArgs({ input: { path: '/v/a.mov', demuxer: 'mov' }, output: '/v/b.mp4', audio, audioBitrate: 96_000 }).outputArgs.slice(-2)).toEqual(['-f', 'mp4']);
  });
});
