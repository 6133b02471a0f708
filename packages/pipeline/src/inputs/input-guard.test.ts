import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outDirInsideInputs } from './input-guard.js';

describe('outDirInsideInputs', () => {
  let root: string;
  let folder: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'wavid-input-guard-'));
    folder = join(root, 'in');
    mkdirSync(join(folder, 'deep'), { recursive: true });
    mkdirSync(join(root, 'elsewhere'));
    symlinkSync(folder, join(root, 'link'));
    symlinkSync(join(folder, 'deep'), join(root, 'deep-link'));
    symlinkSync(join(root, 'elsewhere'), join(folder, 'away'));
  });

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it.each([
    ['the input folder itself', 'in', true],
    ['a new folder below it', 'in/out', true],
    ['a link to it', 'link', true],
    ['a new folder reached through a link to it', 'link/out', true],
    ['a new folder some levels down through a link', 'link/a/b/out', true],
    ['a new folder up from a link into it', 'deep-link/../out', true],
    ['below it as written, though a link there leads out', 'in/away/out', true],
    ['a new folder beside it', 'out', false],
    ['a new folder below a sibling', 'elsewhere/new/out', false],
  ] as const)('%s: %s', async (_name, out, inside) => {
    expect(await outDirInsideInputs(`${root}/${out}`, folder)).toBe(inside);
  });
});
