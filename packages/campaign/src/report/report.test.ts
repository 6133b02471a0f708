import { describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../ledger/ledger.js';
import { buildReport, reportCsv, reportText } from './campaign-report.js';
import { reportHtml } from './report-html.js';

const base: LedgerEntry = {
  key: 'k',
  masked: '+49•••••••0001',
  line: 2,
  state: 'accepted',
  attempts: 1,
  messageId: 'wamid.1',
  errorCode: null,
  errorDetail: null,
  delivery: null,
  deliveryAt: null,
  deliveryErrorCode: null,
  deliveryErrorTitle: null,
  updatedAt: 0,
};

const ENTRIES: LedgerEntry[] = [
  { ...base, delivery: 'read' },
  { ...base, line: 3, masked: '+49•••••••0002', delivery: 'failed', deliveryErrorCode: '131053', deliveryErrorTitle: 'Media upload error' },
  { ...base, line: 4, masked: '+49•••••••0003', state: 'failed', messageId: null, errorCode: '131026', errorDetail: 'Message undeliverable' },
  { ...base, line: 5, masked: '+49•••••••0004', state: 'unknown', messageId: null, errorCode: 'interrupted' },
  { ...base, line: 6, masked: '=cmd|x', state: 'pending', messageId: null },
];

async function* entries(): AsyncIterable<LedgerEntry> {
  for (const entry of ENTRIES) yield await Promise.resolve(entry);
}

describe('campaign report', () => {
  it('counts states and deliveries, groups failures with explanations, lists the unknown', async () => {
    const report = await buildReport(entries());
    expect(report.states).toEqual({ pending: 1, sending: 0, accepted: 2, failed: 1, unknown: 1 });
    expect(report.delivery).toEqual({ accepted: 0, sent: 0, delivered: 0, read: 1, failed: 1 });
    expect(report.failures.map((failure) => [failure.code, failure.where, failure.count])).toEqual([
      ['131053', 'delivery', 1],
      ['131026', 'send', 1],
    ]);
    expect(report.unknown).toEqual([{ masked: '+49•••••••0004', line: 5, code: 'interrupted' }]);
    expect(reportText('spring', report)).toMatch(/1 unknown \(may have received it/);
    const html = reportHtml('spring <b>', report, new Date(0));
    expect(html).toContain('Campaign spring &#60;b&#62;');
    expect(html).toContain('<code>131053</code>');
    expect(html).not.toMatch(/<script|https?:/);
  });

  it('writes CSV with masked numbers, quoting, and no formula a spreadsheet would run', async () => {
    const lines: string[] = [];
    for await (const line of reportCsv(entries())) lines.push(line);
    expect(lines[0]).toBe('line,recipient,state,message_id,delivery,error_code,error\n');
    expect(lines[2]).toBe('3,+49•••••••0002,accepted,wamid.1,failed,131053,Media upload error\n');
    expect(lines[5]).toBe("6,'=cmd|x,pending,,,,\n");
  });
});
