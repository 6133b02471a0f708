import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { temporaryPathFor } from '@wavid/foundation';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removeLeftovers } from './leftovers.js';

describe('removeLeftovers', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'wavid-leftovers-'));
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('removes only temporary names of planned outputs, never through links, and ends on a link loop', async () => {
    const out = join(root, 'out');
    const elsewhere = join(root, 'elsewhere');
    mkdirSync(join(out, 'trip'), { recursive: true });
    mkdirSync(join(out, '.wavid', 'thumbnails'), { recursive: true });
    mkdirSync(elsewhere);
    const own = '.clip.mp4.0123abcd.partial.mp4';
    writeFileSync(join(out, 'trip', own), 'half');
    writeFileSync(join(out, 'trip', '.other.mp4.0123abcd.partial.mp4'), 'not ours to judge');
    writeFileSync(join(out, '.wavid', 'thumbnails', '.x.jpg.0123abcd.partial.jpg'), 'half');
    writeFileSync(join(out, '.wavid-manifest.json.0123abcd.tmp'), 'half');
    writeFileSync(join(elsewhere, own), 'someone else');
    symlinkSync(elsewhere, join(out, 'linked'));
    symlinkSync(out, join(out, 'loop'));
    const outputs = [join(out, 'trip', 'clip.mp4'), join(out, 'linked', 'clip.mp4'), join(out, 'loop', 'loop', 'trip', 'clip.mp4')];
    await removeLeftovers(out, outputs);
    expect(readdirSync(join(out, 'trip'))).toEqual(['.other.mp4.0123abcd.partial.mp4']);
    expect(readdirSync(join(out, '.wavid', 'thumbnails'))).toEqual([]);
    expect(readdirSync(out).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    expect(readdirSync(elsewhere)).toEqual([own]);
  });

  it('keeps the temporary file of a long name when only a name that differs at its end is planned', async () => {
    const planned = `${'a'.repeat(245)}-1.mp4`;
    const other = `${'a'.repeat(245)}-2.mp4`;
    const kept = basename(temporaryPathFor(join(root, other), 'partial.mp4'));
    const removed = basename(temporaryPathFor(join(root, planned), 'partial.mp4'));
    writeFileSync(join(root, kept), 'another write under way');
    writeFileSync(join(root, removed), 'half');
    await removeLeftovers(root, [join(root, planned)]);
    expect(readdirSync(root)).toEqual([kept]);
  });

  it('stops at a cancel', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(removeLeftovers(root, [join(root, 'a.mp4')], controller.signal)).rejects.toThrow();
  });
});
