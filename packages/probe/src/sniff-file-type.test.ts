import { openSync, readdirSync, readSync, closeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fileTypeFromBuffer } from 'file-type';
import { describe, expect, it } from 'vitest';
import { sniffFileType, sniffFtyp } from './sniff-file-type.js';

const samples = fileURLToPath(new URL('../../../samples/', import.meta.url));

function ftypHead(major: string, size = 24): Uint8Array {
  const head = new Uint8Array(64);
  new DataView(head.buffer).setUint32(0, size);
  head.set(Buffer.from('ftyp', 'latin1'), 4);
  head.set(Buffer.from(major.padEnd(4, ' ').slice(0, 4), 'latin1'), 8);
  head.set(Buffer.from('isomavc1', 'latin1'), 16);
  return head;
}

function firstBytes(path: string): Uint8Array {
  const buffer = Buffer.alloc(16 * 1024);
  const fd = openSync(path, 'r');
  try {
    return buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, 0));
  } finally {
    closeSync(fd);
  }
}

const asType = (found: { ext: string; mime: string } | undefined) => (found ? { ext: found.ext, mime: found.mime } : null);

describe('sniffFtyp', () => {
  it('names every major brand as file-type does', async () => {
    const brands = ['isom', 'mp41', 'mp42', 'avc1', 'qt', 'M4V', 'M4VH', 'M4VP', 'M4P', 'M4B', 'M4A', 'F4V', 'F4P', 'F4A', 'F4B', 'crx', '3gp4', '3gp5', '3gp6', '3g2a', '3gs7', 'avif', 'avis', 'mif1', 'msf1', 'heic', 'heix', 'hevc', 'hevx', 'dash', 'iso6', 'MSNV', 'XAVC'];
    for (const brand of brands) {
      const head = ftypHead(brand);
      expect({ brand, type: sniffFtyp(head) }).toEqual({ brand, type: asType(await fileTypeFromBuffer(head)) });
    }
  });

  it('answers as file-type does for every sample it recognises, and leaves the rest to it', async () => {
    let recognised = 0;
    for (const name of readdirSync(samples).filter((entry) => /\.(mp4|mov|3gp|mkv|webm|avi|ts|m4a)$/.test(entry))) {
      const head = firstBytes(samples + name);
      const cheap = sniffFtyp(head);
      if (cheap) recognised++;
      expect({ name, type: await sniffFileType(head) }).toEqual({ name, type: asType(await fileTypeFromBuffer(head)) });
    }
    expect(recognised).toBeGreaterThan(10);
  });

  it('does not take what only looks like an ftyp box', () => {
    expect(sniffFtyp(ftypHead('isom', 0x100))).toBeNull();
    expect(sniffFtyp(Buffer.from('\0\0\0\x18ftypisom', 'latin1').subarray(0, 8))).toBeNull();
    expect(sniffFtyp(ftypHead('\x01abc'))).toBeNull();
    const moovFirst = ftypHead('isom');
    moovFirst.set(Buffer.from('moov', 'latin1'), 4);
    expect(sniffFtyp(moovFirst)).toBeNull();
  });
});
