import { describe, expect, it } from 'vitest';
import { readBoxHeader } from './box-header.js';

function box(size: number, type: string, extra: number[] = []): Uint8Array {
  const bytes = new Uint8Array(8 + extra.length);
  new DataView(bytes.buffer).setUint32(0, size);
  bytes.set(new TextEncoder().encode(type), 4);
  bytes.set(extra, 8);
  return bytes;
}

describe('readBoxHeader', () => {
  it('reads a 32-bit size and type', () => {
    expect(readBoxHeader(box(8, 'free'), { offset: 0, end: 100 })).toEqual({ ok: true, header: { type: 'free', offset: 0, size: 8, headerSize: 8 } });
  });

  it('reads a 64-bit size', () => {
    const bytes = box(1, 'mdat', [0, 0, 0, 0, 0, 0, 0, 32]);
    expect(readBoxHeader(bytes, { offset: 0, end: 64 })).toEqual({ ok: true, header: { type: 'mdat', offset: 0, size: 32, headerSize: 16 } });
  });

  it('takes size 0 as running to the end of the file, for top-level boxes only', () => {
    expect(readBoxHeader(box(0, 'mdat'), { offset: 0, end: 5000, topLevel: true })).toMatchObject({ ok: true, header: { size: 5000 } });
    expect(readBoxHeader(box(0, 'trak'), { offset: 0, end: 5000 })).toMatchObject({ ok: false, reason: 'bad-size' });
  });

  it('reads at an offset inside a buffer that starts later in the file', () => {
    expect(readBoxHeader(box(16, 'moov'), { offset: 1000, end: 2000, bytesStart: 1000 })).toMatchObject({ ok: true, header: { offset: 1000, size: 16 } });
  });

  it('reports a box that claims more than remains as past-end', () => {
    const result = readBoxHeader(box(0xffffffff, 'moov'), { offset: 0, end: 500 });
    expect(result).toMatchObject({ ok: false, reason: 'past-end' });
    expect(result.ok || result.message).toContain('claims 4294967295 bytes but only 500 remain');
  });

  it('reports a 64-bit size of 2^62 as past-end without overflowing', () => {
    expect(readBoxHeader(box(1, 'mdat', [0x40, 0, 0, 0, 0, 0, 0, 0]), { offset: 0, end: 1000 })).toMatchObject({ ok: false, reason: 'past-end' });
  });

  it('rejects sizes smaller than the header and non-text types', () => {
    expect(readBoxHeader(box(4, 'free'), { offset: 0, end: 100 })).toMatchObject({ ok: false, reason: 'bad-size' });
    expect(readBoxHeader(box(8, '\u0000\u0001ab'), { offset: 0, end: 100 })).toMatchObject({ ok: false, reason: 'bad-type' });
  });

  it('says short when the bytes do not hold a header', () => {
    expect(readBoxHeader(new Uint8Array(5), { offset: 0, end: 100 })).toMatchObject({ ok: false, reason: 'short' });
  });
});
