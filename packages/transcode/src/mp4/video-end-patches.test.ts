import { describe, expect, it } from 'vitest';
import { videoEndPatches, type BytePatch } from './video-end-patches.js';

function box(type: string, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + body.length, 0);
  header.write(type, 4, 'latin1');
  return Buffer.concat([header, body]);
}

const u32 = (...values: number[]) => Buffer.concat(values.map((value) => {
  const bytes = Buffer.alloc(4);
  bytes.writeInt32BE(value | 0, 0);
  return bytes;
}));

/** A version 0 moov: movie clock 1000, a video track on a 90 kHz clock with the given stts runs, and optionally an audio track. */
function moov(options: { runs: [number, number][]; edit?: [number, number][]; audioMovieTicks?: number }): Buffer {
  const total = options.runs.reduce((sum, [count, delta]) => sum + count * delta, 0);
  const movieTicks = Math.round(total / 90);
  const trak = (handler: string, tkhdTicks: number, extra: Buffer[]) =>
    box('trak', box('tkhd', u32(0, 0, 0, 1, 0, tkhdTicks)), ...extra.slice(0, 1), box('mdia', box('mdhd', u32(0, 0, 0, 90_000, total)), box('hdlr', u32(0, 0), Buffer.from(handler, 'latin1')), ...extra.slice(1)));
  const stts = box('stts', u32(0, options.runs.length), ...options.runs.map(([count, delta]) => u32(count, delta)));
  const edts = box('edts', box('elst', u32(0, (options.edit ?? [[movieTicks, 0]]).length), ...(options.edit ?? [[movieTicks, 0]]).map(([duration, time]) => u32(duration, time, 0x10000))));
  const tracks = [trak('vide', movieTicks, [edts, box('minf', box('stbl', stts))])];
  if (options.audioMovieTicks !== undefined) tracks.push(trak('soun', options.audioMovieTicks, [box('free')]));
  return box('moov', box('mvhd', u32(0, 0, 0, 1000, Math.max(movieTicks, options.audioMovieTicks ?? 0))), ...tracks);
}

function apply(bytes: Buffer, patches: BytePatch[], offset: number): Buffer {
  const copy = Buffer.from(bytes);
  for (const patch of patches) copy.set(patch.bytes, patch.offset - offset);
  return copy;
}

/** Reads back the fields the patches touch: last stts run, mdhd, tkhd, elst and mvhd durations of the video. */
function fields(bytes: Buffer) {
  const at = (type: string, from = 0) => bytes.indexOf(type, from, 'latin1');
  const stts = at('stts');
  const runs = bytes.readUInt32BE(stts + 8);
  return {
    lastRun: [bytes.readUInt32BE(stts + 12 + (runs - 1) * 8), bytes.readUInt32BE(stts + 16 + (runs - 1) * 8)],
    mdhd: bytes.readUInt32BE(at('mdhd') + 20),
    tkhd: bytes.readUInt32BE(at('tkhd') + 24),
    elst: bytes.readUInt32BE(at('elst') + 12),
    mvhd: bytes.readUInt32BE(at('mvhd') + 20),
  };
}

describe('videoEndPatches', () => {
  it('gives the last frame the duration that makes the track end where the source does', () => {
    // Frames at 0, 0.1 and 1.1 s; ffmpeg 4 wrote the last one with no duration.
    const bytes = moov({ runs: [[1, 9000], [1, 90_000], [1, 0]] });
    const result = videoEndPatches(bytes, 100, 2.5);
    if (!result?.ok) throw new Error(`no patches: ${JSON.stringify(result)}`);
    for (const patch of result.patches) expect(patch.offset).toBeGreaterThanOrEqual(100);
    expect(fields(apply(bytes, result.patches, 100))).toEqual({ lastRun: [1, 126_000], mdhd: 225_000, tkhd: 2500, elst: 2500, mvhd: 2500 });
    expect(apply(bytes, result.patches, 100)).toHaveLength(bytes.length);
  });

  it('shortens a last frame that ffmpeg 5 stretched to one average frame, and the movie keeps its longer audio', () => {
    const bytes = moov({ runs: [[1, 3000], [1, 2700], [1, 30_000]], audioMovieTicks: 900 });
    const result = videoEndPatches(bytes, 0, 0.1);
    if (!result?.ok) throw new Error(`no patches: ${JSON.stringify(result)}`);
    expect(fields(apply(bytes, result.patches, 0))).toEqual({ lastRun: [1, 3300], mdhd: 9000, tkhd: 100, elst: 100, mvhd: 900 });
  });

  it('counts an edit that starts inside the media', () => {
    const bytes = moov({ runs: [[2, 3000], [1, 0]], edit: [[33, 3000]] });
    const result = videoEndPatches(bytes, 0, 0.1);
    if (!result?.ok) throw new Error(`no patches: ${JSON.stringify(result)}`);
    expect(fields(apply(bytes, result.patches, 0))).toMatchObject({ lastRun: [1, 6000], mdhd: 12_000, elst: 100 });
  });

  it('leaves a track that already ends there alone, and refuses what it cannot do in place', () => {
    expect(videoEndPatches(moov({ runs: [[3, 3000]] }), 0, 0.1)).toBeNull();
    expect(videoEndPatches(moov({ runs: [[3, 3000]] }), 0, 0.2)).toEqual({ ok: false, problem: 'last-run-shared' });
    expect(videoEndPatches(moov({ runs: [[1, 3000], [1, 0]] }), 0, 0.02)).toEqual({ ok: false, problem: 'end-before-last-frame' });
    expect(videoEndPatches(box('moov', box('mvhd', u32(0, 0, 0, 1000, 0))), 0, 1)).toEqual({ ok: false, problem: 'no-video-track' });
  });
});
