import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';

const unreadable = new Set<string>();

// Root reads every folder whatever its permission bits, so a folder that cannot be listed is injected.
vi.mock('node:fs/promises', async (original) => {
  const actual = await original<typeof import('node:fs/promises')>();
  return {
    ...actual,
    readdir: (path: string, options: unknown) => {
      if (unreadable.has(path)) return Promise.reject(Object.assign(new Error(`EACCES: permission denied, scandir '${path}'`), { code: 'EACCES' }));
      return (actual.readdir as (path: string, options: unknown) => Promise<unknown>)(path, options);
    },
  };
});

const { collectInputs } = await import('./collect-inputs.js');

afterEach(() => {
  unreadable.clear();
});

it('lists a subfolder it cannot read as an input of its own and walks on', async () => {
  const root = mkdtempSync(join(tmpdir(), 'wavid-walk-'));
  try {
    mkdirSync(join(root, 'locked'));
    mkdirSync(join(root, 'open'));
    writeFileSync(join(root, 'locked', 'a.mp4'), '');
    writeFileSync(join(root, 'open', 'b.mp4'), '');
    writeFileSync(join(root, 'c.mp4'), '');
    unreadable.add(join(root, 'locked'));
    const inputs = await collectInputs([root]);
    expect(inputs.map((input) => input.relativePath)).toEqual(['c.mp4', 'locked', join('open', 'b.mp4')]);
    unreadable.add(root);
    await expect(collectInputs([root])).rejects.toThrow(/EACCES/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
