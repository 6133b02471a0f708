import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { outputObjectKey } from './queued-prepare.js';

describe('outputObjectKey', () => {
  const root = join('work', 'run');
  const target = { bucket: 'media', prefix: 'ready', localRoot: root, inputKeys: new Set(['ready/in/clip.mp4', 'in/clip.mov']) };

  it('names the key below the prefix by the path below the working folder', () => {
    expect(outputObjectKey(target, join(root, 'week 2', 'clip.mp4'))).toEqual({ kind: 'key', key: 'ready/week 2/clip.mp4' });
    expect(outputObjectKey({ ...target, prefix: '' }, join(root, 'clip.mp4'))).toEqual({ kind: 'key', key: 'clip.mp4' });
  });

  it('refuses a key that is one of the listed inputs', () => {
    expect(outputObjectKey(target, join(root, 'in', 'clip.mp4'))).toEqual({ kind: 'refused', code: 'output-is-input', key: 'ready/in/clip.mp4' });
    expect(outputObjectKey({ ...target, prefix: 'in' }, join(root, 'clip.mov'))).toEqual({ kind: 'refused', code: 'output-is-input', key: 'in/clip.mov' });
  });

  it('throws for a path outside the working folder', () => {
    expect(() => outputObjectKey(target, join('work', 'elsewhere.mp4'))).toThrow(TypeError);
  });
});
