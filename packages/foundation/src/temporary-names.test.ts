import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isTemporaryName, temporaryPathFor } from './temporary-names.js';

describe('temporary names', () => {
  it('recognises every name it makes, and no ordinary one', () => {
    for (const kind of ['partial.mp4', 'partial.jpg', 'tmp'] as const) {
      const path = temporaryPathFor('out/clip.mp4', kind);
      expect(path.startsWith('out/.clip.mp4.')).toBe(true);
      expect(isTemporaryName(basename(path))).toBe(true);
    }
    for (const name of ['clip.mp4', '.clip.mp4', 'wavid-manifest.json', '.clip.mp4.1234.tmp']) expect(isTemporaryName(name)).toBe(false);
  });
});
