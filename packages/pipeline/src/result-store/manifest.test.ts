import { describe, expect, it } from 'vitest';
import { manifestCsv, reuseDecision, upsertEntry, type CurrentState, type Manifest, type ManifestEntry, type RunSettings } from './manifest.js';
import { parseManifest } from './parse-manifest.js';
import { deliveryTarget } from '../folder-run/publish-output.js';

const settings: RunSettings = { wavidVersion: '0.1.0', profile: 'whatsapp', maxSizeBytes: 16_000_000, h264Profile: 'main' };
const now = Date.parse('2026-11-21T12:00:00Z');

const done: ManifestEntry = {
  input: 'launch/teaser.mov',
  sha256: 'a'.repeat(64),
  sizeBytes: 20_000_000,
  settings,
  action: 'transcode',
  reasons: ['container: QuickTime (MOV) needs rewriting as MP4'],
  output: 'launch/teaser.mp4',
  outputSizeBytes: 15_500_000,
  outputModifiedMs: 1_700_000_000_000,
  attempts: 1,
  before: {
    ok: false,
    description: 'MOV, H.264 High 1920x1080 30fps, AAC LC, 20.0 MB',
    violations: [
      { code: 'container', message: 'Container is QuickTime (MOV); WhatsApp needs MP4 or 3GP.' },
      { code: 'size', message: "The file is 20.0 MB, over WhatsApp's 16 MB limit (16,000,000 bytes)." },
    ],
    warnings: [],
  },
  after: { ok: true, description: 'MP4, H.264 Main 1920x1080 30fps, AAC LC, 15.5 MB', violations: [], warnings: [] },
  error: null,
  delivery: { kind: 'link', target: 's3://media/campaign', link: 'https://s3.example/x.mp4?sig=1', mediaId: null, expiresAt: '2026-11-28T11:00:00Z' },
  deliveryError: null,
  completedAt: '2026-11-21T11:00:00Z',
};

const current: CurrentState = {
  sha256: done.sha256,
  settings,
  output: { sizeBytes: 15_500_000, modifiedMs: 1_700_000_000_000 },
  deliveryTarget: 's3://media/campaign',
  now,
};

describe('reuseDecision', () => {
  it('skips an input done before with the same bytes, settings and output', () => {
    expect(reuseDecision(done, current)).toBe('skip');
    expect(reuseDecision({ ...done, delivery: null }, { ...current, deliveryTarget: null })).toBe('skip');
  });

  it('redoes what changed: content, any setting the entry was made under, the output, a failure', () => {
    expect(reuseDecision(undefined, current)).toBe('redo');
    expect(reuseDecision(done, { ...current, sha256: 'b'.repeat(64) })).toBe('redo');
    for (const change of [{ profile: 'whatsapp-status' }, { maxSizeBytes: 10_000_000 }, { wavidVersion: '0.2.0' }, { h264Profile: 'baseline' as const }]) {
      expect(reuseDecision(done, { ...current, settings: { ...settings, ...change } })).toBe('redo');
    }
    expect(reuseDecision(done, { ...current, output: null })).toBe('redo');
    expect(reuseDecision(done, { ...current, output: { sizeBytes: 15_500_000, modifiedMs: 1_700_000_000_999 } })).toBe('redo');
    expect(reuseDecision(done, { ...current, output: { sizeBytes: 1, modifiedMs: 1_700_000_000_000 } })).toBe('redo');
    expect(reuseDecision({ ...done, error: { code: 'encode-failed', message: 'ffmpeg failed' } }, current)).toBe('redo');
  });

  it('judges an entry by the settings it was made under, not those of the last run', () => {
    // A run with a smaller cap was stopped before it reached this entry: it must not pass as up to date.
    const madeForOldCap = { ...done, settings: { ...settings, maxSizeBytes: 16_000_000 } };
    expect(reuseDecision(madeForOldCap, { ...current, settings: { ...settings, maxSizeBytes: 8_000_000 } })).toBe('redo');
    expect(reuseDecision({ ...done, settings: undefined as unknown as RunSettings }, current)).toBe('redo');
  });

  it('does not try again what the same bytes fail on for good', () => {
    const unreadable = { ...done, output: null, after: null, error: { code: 'unreadable', message: 'The file is empty.' } };
    expect(reuseDecision(unreadable, { ...current, output: null })).toBe('skip');
    expect(reuseDecision({ ...done, error: { code: 'cannot-fit', message: 'too long' } }, current)).toBe('skip');
    expect(reuseDecision(unreadable, { ...current, sha256: 'c'.repeat(64) })).toBe('redo');
  });

  it('only publishes again after a failed publish, another destination, or a link about to expire', () => {
    expect(reuseDecision({ ...done, delivery: null, deliveryError: { code: 'unreachable', message: 'no answer' } }, current)).toBe('renew-delivery');
    expect(reuseDecision(done, { ...current, deliveryTarget: 'meta:default?phoneNumberId=1' })).toBe('renew-delivery');
    expect(reuseDecision({ ...done, delivery: null }, current)).toBe('renew-delivery');
    expect(reuseDecision(done, { ...current, now: Date.parse('2026-11-27T12:00:00Z') })).toBe('renew-delivery');
    expect(reuseDecision(done, { ...current, now: Date.parse('2026-11-27T10:00:00Z') })).toBe('skip');
  });

  it('renews a short-lived link when a quarter of its life is left, not on every run', () => {
    const hourLink: ManifestEntry = {
      ...done,
      completedAt: '2026-11-21T12:00:00Z',
      delivery: { kind: 'link', target: 's3://media/campaign', link: 'https://s3.example/y.mp4', mediaId: null, expiresAt: '2026-11-21T13:00:00Z' },
    };
    expect(reuseDecision(hourLink, { ...current, now: Date.parse('2026-11-21T12:30:00Z') })).toBe('skip');
    expect(reuseDecision(hourLink, { ...current, now: Date.parse('2026-11-21T12:50:00Z') })).toBe('renew-delivery');
  });
});

describe('upsertEntry', () => {
  it('replaces the entry of the same input and keeps entries sorted', () => {
    const other = { ...done, input: 'a.mp4' };
    const entries = upsertEntry(upsertEntry([done], other), { ...done, attempts: 2 });
    expect(entries.map((entry) => [entry.input, entry.attempts])).toEqual([
      ['a.mp4', 1],
      ['launch/teaser.mov', 2],
    ]);
  });
});

describe('manifestCsv', () => {
  it('writes a header and one row per input, quoting what needs it', () => {
    const manifest: Manifest = { settings, updatedAt: now.toString(), entries: [done, { ...done, input: 'b, "odd".mp4', error: { code: 'cannot-fit', message: '=cmd|x' }, after: null, delivery: null }] };
    const [header, first, second] = manifestCsv(manifest).split('\r\n');
    expect(header).toBe('input,sha256,size_bytes,action,output,output_size_bytes,attempts,before,after,link,media_id,expires_at,error_code,error_message,completed_at');
    expect(first).toBe(`launch/teaser.mov,${'a'.repeat(64)},20000000,transcode,launch/teaser.mp4,15500000,1,container size,ok,https://s3.example/x.mp4?sig=1,,2026-11-28T11:00:00Z,,,2026-11-21T11:00:00Z`);
    expect(second).toContain('"b, ""odd"".mp4"');
    expect(second).toContain(",cannot-fit,'=cmd|x,");
  });
});

describe('parseManifest', () => {
  it('reads a manifest back and refuses what is not one', () => {
    const manifest: Manifest = { settings, updatedAt: 'x', entries: [done] };
    expect(parseManifest(JSON.stringify(manifest))).toEqual({ manifest, dropped: 0 });
    expect(parseManifest('{"entries": 3}')).toBeNull();
    expect(parseManifest('{"settings": null, "entries": []}')).toBeNull();
    expect(parseManifest('null')).toBeNull();
    expect(parseManifest('not json')).toBeNull();
  });

  it('drops each entry not of the shape a run, the CSV and the report rely on, and keeps the others', () => {
    const failed: ManifestEntry = {
      ...done, input: 'b.mp4', sha256: '', action: null, reasons: [], output: null, outputSizeBytes: null, outputModifiedMs: null,
      before: null, after: null, error: { code: 'unreadable', message: 'no' }, delivery: null,
    };
    const hostile: unknown[] = [
      null, 5, 'entry', [], {}, { ...done, input: 5 }, { ...done, output: 5 }, { ...done, output: {} }, { ...done, sha256: '../../x' },
      { ...done, sizeBytes: '5' }, { ...done, settings: null }, { ...done, settings: { ...settings, maxSizeBytes: 'big' } },
      { ...done, action: 'delete' }, { ...done, reasons: 'x' }, { ...done, reasons: [5] }, { ...done, attempts: null },
      { ...done, before: { ok: false, violations: 5 } }, { ...done, before: { ...done.before, violations: [null] } },
      { ...done, after: { ...done.after, warnings: [{ code: 5, message: 'x' }] } }, { ...done, after: { ...done.after, ok: 'yes' } },
      { ...done, error: 'failed' }, { ...done, error: { code: 'x' } }, { ...done, error: { code: 'x', message: 'y', recovery: 'later' } },
      { ...done, delivery: { ...done.delivery, link: 5 } }, { ...done, delivery: { ...done.delivery, kind: 'mail' } },
      { ...done, deliveryError: [] }, { ...done, completedAt: 0 }, { ...done, outputSizeBytes: '5' },
    ];
    const text = JSON.stringify({ settings, updatedAt: 'x', entries: [hostile[0], done, ...hostile.slice(1), failed] });
    const read = parseManifest(text);
    expect(read?.dropped).toBe(hostile.length);
    expect(read?.manifest.entries).toEqual([done, failed]);
    // What is kept can be written again: the CSV of the whole manifest does not throw.
    expect(() => manifestCsv(read?.manifest ?? { settings, updatedAt: 'x', entries: [] })).not.toThrow();
  });
});

describe('deliveryTarget', () => {
  it('keeps passwords and link tokens out of what the manifest records', () => {
    expect(deliveryTarget({ kind: 'link', bucket: 'media', endpoint: 'http://key:hunter2@127.0.0.1:9000' })).toBe('s3://media/ at http://key:***@127.0.0.1:9000');
    expect(deliveryTarget({ kind: 'media-id', provider: 'meta', baseUrl: 'http://u:hunter2@proxy.example' }, { WHATSAPP_PHONE_NUMBER_ID: '1' })).not.toContain('hunter2');
  });
});
