import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isTemporaryName, isTemporaryNameFor, temporaryPathFor } from './temporary-names.js';

describe('temporary names', () => {
  it('recognises every name it makes, and no ordinary one', () => {
    for (const kind of ['partial.mp4', 'partial.jpg', 'tmp'] as const) {
      const path = temporaryPathFor('out/clip.mp4', kind);
      expect(path.startsWith('out/.clip.mp4.')).toBe(true);
      expect(isTemporaryName(basename(path))).toBe(true);
    }
    for (const name of ['clip.mp4', '.clip.mp4', 'wavid-manifest.json', '.clip.mp4.1234.tmp']) expect(isTemporaryName(name)).toBe(false);
  });

  it('keeps every temporary name within 255 bytes, unique, and known as made for its file', () => {
    for (const name of [`${'a'.repeat(251)}.mp4`, `${'é'.repeat(120)}.mp4`, `${'😀'.repeat(62)}.3gp`]) {
      const paths = new Set([temporaryPathFor(`out/${name}`, 'partial.mp4'), temporaryPathFor(`out/${name}`, 'partial.mp4')]);
      expect(paths.size).toBe(2);
      for (const path of paths) {
        expect(Buffer.byteLength(basename(path))).toBeLessThanOrEqual(255);
        expect(isTemporaryName(basename(path))).toBe(true);
        expect(isTemporaryNameFor(basename(path), name)).toBe(true);
        expect(isTemporaryNameFor(basename(path), 'other.mp4')).toBe(false);
      }
    }
    expect(isTemporaryNameFor(basename(temporaryPathFor('out/clip.mp4', 'tmp')), 'clip.mp4')).toBe(true);
    expect(isTemporaryNameFor(basename(temporaryPathFor('out/clip.mp4', 'tmp')), 'clip.mp4.x')).toBe(false);
  });
});
