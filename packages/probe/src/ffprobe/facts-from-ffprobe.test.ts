import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bFramesFromPictureTypes, factsFromFfprobe, pixelFormat, type FfprobeOutput } from './facts-from-ffprobe.js';

const mkv = JSON.parse(readFileSync(new URL('./fixtures/h264-aac.mkv.json', import.meta.url), 'utf8')) as FfprobeOutput;

describe('factsFromFfprobe', () => {
  it('maps an H.264 + AAC Matroska file', () => {
    const facts = factsFromFfprobe(mkv);
    expect(facts.formatName).toBe('matroska,webm');
    expect(facts.probeScore).toBe(100);
    expect(facts.video).toEqual([
      expect.objectContaining({
        codec: 'h264',
        profile: { name: 'Main', idc: 77, constraintFlags: 0 },
        level: 1.3,
        codedWidth: 320,
        codedHeight: 240,
        displayWidth: 320,
        displayHeight: 240,
        rotation: 0,
        frameRate: 25,
        variableFrameRate: false,
        bitDepth: 8,
        chromaFormat: '4:2:0',
        bFrames: null,
      }),
    ]);
    expect(facts.audio).toEqual([expect.objectContaining({ codec: 'aac', aacObjectType: 'LC', channels: 1, sampleRate: 44100 })]);
  });

  it('leaves out cover art and turns a display matrix into a clockwise rotation', () => {
    const facts = factsFromFfprobe({
      streams: [
        { codec_type: 'video', codec_name: 'mjpeg', width: 600, height: 600, disposition: { attached_pic: 1 } },
        { codec_type: 'video', codec_name: 'h264', profile: 'High', width: 1920, height: 1080, side_data_list: [{ side_data_type: 'Display Matrix', rotation: -90 }] },
      ],
    });
    expect(facts.video).toHaveLength(1);
    expect(facts.video[0]).toMatchObject({ rotation: 90, displayWidth: 1080, displayHeight: 1920, profile: { idc: 100 } });
  });

  it('applies the sample aspect ratio to the display width', () => {
    const facts = factsFromFfprobe({ streams: [{ codec_type: 'video', codec_name: 'h264', width: 720, height: 576, sample_aspect_ratio: '16:15' }] });
    expect(facts.video[0]).toMatchObject({ displayWidth: 768, displayHeight: 576 });
  });

  it('flags a variable frame rate when the base rate is far from the average', () => {
    const facts = factsFromFfprobe({ streams: [{ codec_type: 'video', codec_name: 'h264', avg_frame_rate: '2500/149', r_frame_rate: '25/1' }] });
    expect(facts.video[0]?.variableFrameRate).toBe(true);
  });
});

describe('pixelFormat', () => {
  it.each([
    ['yuv420p', '4:2:0', 8],
    ['yuvj420p', '4:2:0', 8],
    ['yuv420p10le', '4:2:0', 10],
    ['yuv422p', '4:2:2', 8],
    ['yuv444p12be', '4:4:4', 12],
    ['gray', '4:0:0', 8],
    ['nv12', '4:2:0', 8],
    ['p010le', '4:2:0', 10],
  ])('%s is %s at %i bits', (name, chroma, depth) => {
    expect(pixelFormat(name)).toEqual({ chromaFormat: chroma, bitDepth: depth });
  });
});

describe('bFramesFromPictureTypes', () => {
  it('finds B among decoded picture types', () => {
    expect(bFramesFromPictureTypes(['I', 'P', 'B', 'B', 'P'])).toBe(true);
    expect(bFramesFromPictureTypes(['I', 'P', 'P'])).toBe(false);
    expect(bFramesFromPictureTypes([])).toBeNull();
  });
});
