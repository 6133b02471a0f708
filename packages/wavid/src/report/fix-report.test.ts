import { describe, expect, it } from 'vitest';
import { PROFILES } from '@wavid/probe';
import type { FileFix } from '@wavid/pipeline';
import { fixLine, fixReportJson, fixSummaryLine, summariseFixes } from './fix-report.js';

const transcoded: FileFix = { input: 'a.mov', output: 'out/a.mp4', action: 'transcode', ok: true, kept: false, before: ['video-codec'], after: [], sizeBytes: 15_200_000, attempts: 1, error: null };
const failed: FileFix = { input: 'b.mp4', output: 'out/b.mp4', action: null, ok: false, kept: false, before: ['unreadable'], after: [], sizeBytes: null, attempts: 0, error: { code: 'unreadable', message: 'The file is empty.' } };

describe('fix report', () => {
  it('prints the JSON document in the documented shape', () => {
    const document = JSON.parse(fixReportJson(PROFILES.whatsapp, [transcoded, failed])) as unknown;
    expect(document).toEqual({
      profile: 'whatsapp',
      maxSizeBytes: 16_000_000,
      files: [
        { input: 'a.mov', output: 'out/a.mp4', action: 'transcode', ok: true, kept: false, before: ['video-codec'], after: [], sizeBytes: 15_200_000, attempts: 1, error: null },
        { input: 'b.mp4', output: 'out/b.mp4', action: null, ok: false, kept: false, before: ['unreadable'], after: [], sizeBytes: null, attempts: 0, error: { code: 'unreadable', message: 'The file is empty.' } },
      ],
      summary: { files: 2, ok: 1, failed: 1, copy: 0, remux: 0, transcode: 1, kept: 0 },
    });
  });

  it('writes one line per file and a summary', () => {
    expect(fixLine(transcoded, PROFILES.whatsapp, false)).toBe('ok    a.mov -> out/a.mp4  transcoded, 15.2 MB (95% of cap)  fixed: video-codec');
    expect(fixLine(failed, PROFILES.whatsapp, false)).toBe('FAIL  b.mp4  [unreadable] The file is empty.');
    expect(fixSummaryLine(summariseFixes([transcoded, failed]))).toBe('2 files: 0 copied, 0 remuxed, 1 transcoded, 0 kept, 1 failed');
  });
});
