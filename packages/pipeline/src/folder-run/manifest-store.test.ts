import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ManifestEntry, RunSettings } from '../result-store/manifest.js';
import { ManifestStore } from './manifest-store.js';

const settings: RunSettings = { wavidVersion: '0.1.0', profile: 'whatsapp', maxSizeBytes: 16_000_000, h264Profile: 'main' };

function entry(input: string): ManifestEntry {
  return {
    input, sha256: 'a'.repeat(64), sizeBytes: 10, settings, action: 'copy', reasons: [], output: input, outputSizeBytes: 10,
    outputModifiedMs: 1, attempts: 1, before: null, after: { ok: true, description: 'MP4', violations: [], warnings: [] },
    error: null, delivery: null, deliveryError: null, completedAt: '2026-11-21T11:00:00Z',
  };
}

describe('ManifestStore', () => {
  let out: string;
  beforeEach(() => {
    out = mkdtempSync(join(tmpdir(), 'wavid-manifest-store-'));
  });
  afterEach(() => {
    rmSync(out, { recursive: true, force: true });
  });

  it('drops malformed entries of a previous manifest, counts them, and saves the others and new ones', async () => {
    const entries = [
      null, { ...entry('b.mp4'), output: 5 }, { ...entry('c.mp4'), before: { ok: false, violations: 5 } },
      { ...entry('d.mp4'), output: '../elsewhere.mp4' }, entry('a.mp4'),
    ];
    writeFileSync(join(out, 'wavid-manifest.json'), JSON.stringify({ settings, updatedAt: 'x', entries }));
    const store = new ManifestStore(out, settings, () => 0);
    await store.load(new Set(['a.mp4', 'b.mp4', 'c.mp4', 'd.mp4']));
    expect(store.dropped).toBe(4);
    expect(store.earlier('a.mp4')).toEqual(entry('a.mp4'));
    expect(store.earlier('b.mp4')).toBeUndefined();
    expect(store.earlier('c.mp4')).toBeUndefined();
    await store.save(entry('e.mp4'));
    const saved = JSON.parse(readFileSync(join(out, 'wavid-manifest.json'), 'utf8')) as { entries: ManifestEntry[] };
    expect(saved.entries.map((kept) => kept.input)).toEqual(['a.mp4', 'e.mp4']);
    expect(readFileSync(join(out, 'wavid-manifest.csv'), 'utf8').split('\r\n')).toHaveLength(4);
  });
});
