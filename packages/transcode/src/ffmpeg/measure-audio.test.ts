import { describe, expect, it } from 'vitest';
import { ffmpegArgv } from './ffmpeg-job.js';
import { adtsPayloadBytes, audioMeasureArgs } from './measure-audio.js';

/** One ADTS frame: a 7-byte header (or 9 with a CRC) and `payload` bytes. */
function adtsFrame(payload: number, crc = false): number[] {
  const header = crc ? 9 : 7;
  const length = header + payload;
  const bytes = [0xff, crc ? 0xf0 : 0xf1, 0x50, 0x80 | ((length >> 11) & 0x03), (length >> 3) & 0xff, ((length & 0x07) << 5) | 0x1f, 0xfc];
  if (crc) bytes.push(0x12, 0x34);
  return [...bytes, ...new Array<number>(payload).fill(0x21)];
}

describe('adtsPayloadBytes', () => {
  it('adds up the frames without their headers', () => {
    expect(adtsPayloadBytes(new Uint8Array([...adtsFrame(300), ...adtsFrame(5000), ...adtsFrame(1, true)]))).toBe(5301);
    expect(adtsPayloadBytes(new Uint8Array())).toBe(0);
  });

  it('refuses what is not a run of whole frames', () => {
    expect(adtsPayloadBytes(new Uint8Array([...adtsFrame(300), 0x00, 0x01]))).toBeNull();
    expect(adtsPayloadBytes(new Uint8Array(adtsFrame(300).slice(0, 200)))).toBeNull();
    expect(adtsPayloadBytes(new Uint8Array([0x00, ...adtsFrame(300)]))).toBeNull();
    // A frame length shorter than its own header would never move on.
    expect(adtsPayloadBytes(new Uint8Array([0xff, 0xf1, 0x50, 0x80, 0x00, 0x1f, 0xfc]))).toBeNull();
  });
});

describe('audioMeasureArgs', () => {
  it('encodes only the kept audio track, as the transcode does, to ADTS', () => {
    const job = audioMeasureArgs({ input: { path: '/in/in.mov', demuxer: 'mov' }, output: '/out/.a.tmp', audio: { kind: 'encode', index: 1, channels: 6, sampleRate: 96_000 }, audioBitrate: 128_000 });
    expect(ffmpegArgv(job)).toEqual([
      '-hide_banner', '-nostdin', '-protocol_whitelist', 'file', '-f', 'mov', '-i', 'file:/in/in.mov', '-y',
      '-map', '0:a:1', '-vn', '-sn', '-dn', '-c:a', 'aac', '-profile:a', 'aac_low', '-b:a', '128k', '-ac', '2', '-ar', '48000',
      '-f', 'adts', 'file:/out/.a.tmp',
    ]);
  });
});
