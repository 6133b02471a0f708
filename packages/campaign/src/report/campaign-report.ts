import type { DeliveryStatus, LedgerEntry, SendState } from '../ledger/ledger.js';
import { explainError } from './explain-error.js';

/** What a campaign's report says: counts, failures by cause, and who needs a person's decision. */
export interface CampaignReport {
  recipients: number;
  /** By send state. */
  states: Record<SendState, number>;
  /** Accepted messages by their last webhook status (`accepted` when none came yet). */
  delivery: Record<DeliveryStatus | 'accepted', number>;
  /** Failures (refused at send, or failed in the webhook) grouped by code, largest first. */
  failures: { code: string; where: 'send' | 'delivery'; count: number; explanation: string; examples: string[] }[];
  /** Unknown outcomes: each may have received the message; resend only after checking (`--resend-unknown`). */
  unknown: { masked: string; line: number; code: string | null }[];
}

const EXAMPLES = 3;

/** Builds the report from the ledger's entries in one pass; keeps the unknown ones in full, the rest as counts. */
export async function buildReport(entries: AsyncIterable<LedgerEntry>): Promise<CampaignReport> {
  const report: CampaignReport = {
    recipients: 0,
    states: { pending: 0, sending: 0, accepted: 0, failed: 0, unknown: 0 },
    delivery: { accepted: 0, sent: 0, delivered: 0, read: 0, failed: 0 },
    failures: [],
    unknown: [],
  };
  const groups = new Map<string, CampaignReport['failures'][number]>();
  const addFailure = (where: 'send' | 'delivery', code: string | null, entry: LedgerEntry) => {
    const id = `${where}:${code ?? ''}`;
    let group = groups.get(id);
    if (!group) {
      group = { code: code ?? 'none', where, count: 0, explanation: explainError(code), examples: [] };
      groups.set(id, group);
    }
    group.count++;
    if (group.examples.length < EXAMPLES) group.examples.push(`${entry.masked} (line ${entry.line})`);
  };
  for await (const entry of entries) {
    report.recipients++;
    report.states[entry.state]++;
    if (entry.state === 'accepted') {
      report.delivery[entry.delivery ?? 'accepted']++;
      if (entry.delivery === 'failed') addFailure('delivery', entry.deliveryErrorCode, entry);
    } else if (entry.state === 'failed') addFailure('send', entry.errorCode, entry);
    else if (entry.state === 'unknown') report.unknown.push({ masked: entry.masked, line: entry.line, code: entry.errorCode });
  }
  report.failures = [...groups.values()].sort((a, b) => b.count - a.count);
  return report;
}

/** The report as lines for a terminal. Numbers are masked. */
export function reportText(name: string, report: CampaignReport): string {
  const lines = [`campaign ${name}: ${report.recipients} recipients`];
  const s = report.states;
  lines.push(`  sent and accepted ${s.accepted}, failed ${s.failed}, unknown ${s.unknown}, not sent yet ${s.pending + s.sending}`);
  const d = report.delivery;
  lines.push(`  of the accepted: read ${d.read}, delivered ${d.delivered}, sent ${d.sent}, failed later ${d.failed}, no status yet ${d.accepted}`);
  for (const failure of report.failures) {
    lines.push(`  ${failure.count} failed ${failure.where === 'send' ? 'when sent' : 'after acceptance'} with ${failure.code}: ${failure.explanation}`);
    lines.push(`    e.g. ${failure.examples.join(', ')}`);
  }
  if (report.unknown.length > 0) {
    lines.push(`  ${report.unknown.length} unknown (may have received it; check, then run again with --resend-unknown to send them again):`);
    for (const item of report.unknown.slice(0, 20)) lines.push(`    ${item.masked} (line ${item.line})${item.code ? `: ${item.code}` : ''}`);
    if (report.unknown.length > 20) lines.push(`    ... and ${report.unknown.length - 20} more (see the CSV report)`);
  }
  return `${lines.join('\n')}\n`;
}

/** One CSV line per recipient: line, masked number, state, message id, delivery, error code. No number in the clear. */
export async function* reportCsv(entries: AsyncIterable<LedgerEntry>): AsyncIterable<string> {
  yield 'line,recipient,state,message_id,delivery,error_code,error\n';
  for await (const entry of entries) {
    const error = entry.deliveryErrorCode ?? entry.errorCode;
    const detail = entry.deliveryErrorTitle ?? entry.errorDetail;
    yield `${[entry.line, entry.masked, entry.state, entry.messageId ?? '', entry.delivery ?? '', error ?? '', detail ?? ''].map(csvField).join(',')}\n`;
  }
}

function csvField(value: string | number): string {
  const text = String(value);
  // A leading = + - @ would be a formula in a spreadsheet.
  const safe = /^[=+\-@]/.test(text) && !/^\+\d/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
