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
    expect(basename(temporaryPathFor('out/clip.mp4', 'tmp'))).toMatch(/^\.clip\.mp4\.[0-9a-f]{8}\.tmp$/);
    expect(isTemporaryNameFor(basename(temporaryPathFor('out/clip.mp4', 'tmp')), 'clip.mp4.x')).toBe(false);
  });

  it('never takes the temporary file of one long name for that of another that differs only at the end', () => {
    // Two fixes side by side: the start of one must not remove what the other is writing.
    for (const [a, b] of [
      [`${'a'.repeat(249)}.mp4`, `${'a'.repeat(249)}.mp5`],
      [`${'a'.repeat(245)}-1.mp4`, `${'a'.repeat(245)}-2.mp4`],
      [`${'é'.repeat(120)}1.mp4`, `${'é'.repeat(120)}2.mp4`],
    ] as const) {
      for (const kind of ['partial.mp4', 'partial.jpg', 'tmp'] as const) {
        const temporary = basename(temporaryPathFor(`out/${a}`, kind));
        expect(Buffer.byteLength(temporary)).toBeLessThanOrEqual(255);
        expect(isTemporaryNameFor(temporary, a)).toBe(true);
        expect(isTemporaryNameFor(temporary, b)).toBe(false);
      }
    }
  });

  it('never takes a cut temporary name for one of a whole name that reads like it', () => {
    const long = `${'a'.repeat(251)}.mp4`;
    const temporary = basename(temporaryPathFor(`out/${long}`, 'partial.mp4'));
    const lookalike = temporary.slice(1).replace(/\.[0-9a-f]{8}\.partial\.mp4$/, '');
    expect(isTemporaryNameFor(temporary, lookalike)).toBe(false);
    expect(isTemporaryNameFor(basename(temporaryPathFor(`out/${lookalike}`, 'partial.mp4')), long)).toBe(false);
  });
});
