import { formatBytes, type ComplianceProfile } from '@wavid/probe';
import type { CampaignOutcome, ManifestEntry } from '@wavid/pipeline';
import { terminalText } from '../cli/terminal-text.js';

export interface RunSummary {
  files: number;
  ready: number;
  failed: number;
  copy: number;
  remux: number;
  transcode: number;
  skipped: number;
  renewed: number;
}

export function entryReady(entry: ManifestEntry): boolean {
  return entry.error === null && entry.deliveryError === null && entry.after?.ok === true;
}

export function summariseRun(entries: readonly ManifestEntry[], outcomes: ReadonlyMap<string, CampaignOutcome>): RunSummary {
  const fresh = entries.filter((entry) => entryReady(entry) && outcomes.get(entry.input) === 'done');
  const count = (action: string) => fresh.filter((entry) => entry.action === action).length;
  const ready = entries.filter(entryReady).length;
  const outcomeCount = (outcome: CampaignOutcome) => entries.filter((entry) => entryReady(entry) && outcomes.get(entry.input) === outcome).length;
  return {
    files: entries.length,
    ready,
    failed: entries.length - ready,
    copy: count('copy'),
    remux: count('remux'),
    transcode: count('transcode'),
    skipped: outcomeCount('skipped'),
    renewed: outcomeCount('renewed'),
  };
}

const DONE_WORDS: Record<string, string> = { copy: 'copied', remux: 'remuxed', transcode: 'transcoded' };

function deliveryText(entry: ManifestEntry): string {
  const delivery = entry.delivery;
  if (!delivery) return '';
  const until = delivery.expiresAt ? ` (until ${delivery.expiresAt.slice(0, 16).replace('T', ' ')})` : '';
  return terminalText(delivery.kind === 'link' ? `link ${delivery.link ?? ''}${until}` : `media id ${delivery.mediaId ?? ''}${until}`);
}

/** One line for a finished input. */
export function runLine(entry: ManifestEntry, outcome: CampaignOutcome, profile: ComplianceProfile, colour: boolean): string {
  const paint = (code: number, text: string) => (colour ? `\u001b[${code}m${text}\u001b[0m` : text);
  if (!entryReady(entry)) {
    const failure = entry.error ?? entry.deliveryError;
    const reason = failure ? `[${failure.code}] ${entry.deliveryError && !entry.error ? 'not published: ' : ''}${failure.message}` : 'output does not comply';
    return `${paint(31, 'FAIL')}  ${terminalText(entry.input)}  ${terminalText(reason)}`;
  }
  const what = outcome === 'skipped' ? 'up to date' : outcome === 'renewed' ? 'link renewed' : (DONE_WORDS[entry.action ?? ''] ?? 'done');
  const size = entry.outputSizeBytes === null ? '' : `, ${formatBytes(entry.outputSizeBytes)} (${Math.round((entry.outputSizeBytes / profile.maxSizeBytes) * 100)}% of cap)`;
  const delivery = deliveryText(entry);
  return `${paint(32, 'ok  ')}  ${terminalText(entry.input)} -> ${terminalText(entry.output ?? '')}  ${what}${size}${delivery ? `  ${delivery}` : ''}`;
}

/** The table printed at the end of a run: a row per input. */
export function runTable(entries: readonly ManifestEntry[], outcomes: ReadonlyMap<string, CampaignOutcome>): string {
  const rows = entries.map((entry) => [
    terminalText(entry.input),
    entryReady(entry) ? 'ready' : 'FAILED',
    outcomes.get(entry.input) === 'skipped' ? `${entry.action ?? ''} (earlier)` : (entry.action ?? '-'),
    entry.before ? (entry.before.ok ? 'ok' : entry.before.violations.map((violation) => violation.code).join(' ')) : '-',
    entry.outputSizeBytes === null ? '-' : formatBytes(entry.outputSizeBytes),
    (entry.error ?? entry.deliveryError)?.code ?? (entry.delivery ? (entry.delivery.kind === 'link' ? 'link' : 'media id') : '-'),
  ]);
  const header = ['video', 'status', 'action', 'problems before', 'size', 'delivered / error'];
  const widths = header.map((title, column) => Math.min(48, Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length))));
  const format = (row: string[]) => row.map((cell, column) => cell.slice(0, widths[column]).padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  return [format(header), format(widths.map((width) => '-'.repeat(width))), ...rows.map(format)].join('\n');
}

export function runSummaryLine(summary: RunSummary): string {
  const parts = [`${summary.copy} copied`, `${summary.remux} remuxed`, `${summary.transcode} transcoded`];
  if (summary.skipped > 0) parts.push(`${summary.skipped} up to date`);
  if (summary.renewed > 0) parts.push(`${summary.renewed} links renewed`);
  return `${summary.files} ${summary.files === 1 ? 'video' : 'videos'}: ${summary.ready} ready (${parts.join(', ')}), ${summary.failed} failed`;
}
