import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { isConfinedName, outputState } from './output-state.js';

it('reads back only outputs inside the output folder, whatever a manifest says', async () => {
  const root = mkdtempSync(join(tmpdir(), 'wavid-output-state-'));
  try {
    const out = join(root, 'out');
    mkdirSync(join(out, 'trip'), { recursive: true });
    writeFileSync(join(root, 'secret.mp4'), 'outside');
    writeFileSync(join(out, 'trip', 'clip.mp4'), 'inside');
    symlinkSync(root, join(out, 'up'));
    expect(await outputState(out, join('trip', 'clip.mp4'))).not.toBeNull();
    for (const name of ['../secret.mp4', 'trip/../../secret.mp4', join(root, 'secret.mp4'), 'up/secret.mp4', '/etc/passwd', '']) {
      expect(await outputState(out, name)).toBeNull();
    }
    expect(['a.mp4', 'trip/a.mp4', '..a.mp4'].every(isConfinedName)).toBe(true);
    expect(['../a.mp4', 'a/../../b.mp4', '/a.mp4', '\\a.mp4', 'a\0.mp4'].some(isConfinedName)).toBe(false);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
