import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { writeFileAtomic } from './write-file-atomic.js';

it('writes manifests and reports readable by their owner only, also over a world-readable file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wavid-atomic-'));
  try {
    const path = join(dir, 'wavid-manifest.json');
    writeFileSync(path, 'old', { mode: 0o644 });
    await writeFileAtomic(path, '{"link":"https://b.example/k.mp4?X-Amz-Security-Token=t"}');
    expect(statSync(path).mode & 0o777).toBe(0o600);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
