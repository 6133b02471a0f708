import { formatBytes, type ComplianceProfile } from '@wavid/probe';
import type { FileFix } from '@wavid/pipeline';
import { terminalText } from '../cli/terminal-text.js';

export type FixFormat = 'text' | 'json';
export const FIX_FORMATS: readonly FixFormat[] = ['text', 'json'];

export interface FixSummary {
  files: number;
  ok: number;
  failed: number;
  copy: number;
  remux: number;
  transcode: number;
  /** Outputs already up to date, left as they were. */
  kept: number;
}

export function summariseFixes(results: readonly FileFix[]): FixSummary {
  const done = results.filter((result) => result.ok && !result.kept);
  const count = (action: string) => done.filter((result) => result.action === action).length;
  const ok = results.filter((result) => result.ok).length;
  return { files: results.length, ok, failed: results.length - ok, copy: count('copy'), remux: count('remux'), transcode: count('transcode'), kept: results.filter((result) => result.kept).length };
}

/** The `--format json` document: stable shape, consumed by CI and scripts. */
export function fixReportJson(profile: ComplianceProfile, results: readonly FileFix[]): string {
  const document = {
    profile: profile.name,
    maxSizeBytes: profile.maxSizeBytes,
    files: results.map((result) => ({
      input: result.input,
      output: result.output,
      action: result.action,
      ok: result.ok,
      kept: result.kept,
      before: result.before,
      after: result.after,
      sizeBytes: result.sizeBytes,
      attempts: result.attempts,
      error: result.error,
    })),
    summary: summariseFixes(results),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

const ACTION_WORDS: Record<string, string> = { copy: 'copied', remux: 'remuxed', transcode: 'transcoded' };

/** One line for a finished file. */
export function fixLine(result: FileFix, profile: ComplianceProfile, colour: boolean): string {
  const paint = (code: number, text: string) => (colour ? `\u001b[${code}m${text}\u001b[0m` : text);
  if (!result.ok) {
    const reason = result.error ? `[${result.error.code}] ${result.error.message}` : `output does not comply: ${result.after.join(', ')}`;
    return `${paint(31, 'FAIL')}  ${terminalText(result.input)}  ${terminalText(reason)}`;
  }
  const size = result.sizeBytes === null ? '' : `, ${formatBytes(result.sizeBytes)} (${Math.round((result.sizeBytes / profile.maxSizeBytes) * 100)}% of cap)`;
  const what = result.kept ? 'kept (up to date)' : (ACTION_WORDS[result.action ?? ''] ?? 'done');
  const attempts = result.attempts > 1 ? `, ${result.attempts} attempts` : '';
  const fixed = result.before.length > 0 && !result.kept ? `  fixed: ${result.before.join(', ')}` : '';
  return `${paint(32, 'ok  ')}  ${terminalText(result.input)} -> ${terminalText(result.output)}  ${what}${size}${attempts}${fixed}`;
}

export function fixSummaryLine(summary: FixSummary): string {
  const noun = summary.files === 1 ? 'file' : 'files';
  return `${summary.files} ${noun}: ${summary.copy} copied, ${summary.remux} remuxed, ${summary.transcode} transcoded, ${summary.kept} kept, ${summary.failed} failed`;
}
