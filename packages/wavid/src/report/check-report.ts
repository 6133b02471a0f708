import { describeFacts, type ProfileName } from '@wavid/probe';
import type { FileCheck } from '@wavid/pipeline';
import { terminalText } from '../cli/terminal-text.js';

export type CheckFormat = 'text' | 'json' | 'junit' | 'github';
export const CHECK_FORMATS: readonly CheckFormat[] = ['text', 'json', 'junit', 'github'];

export interface CheckSummary {
  files: number;
  ok: number;
  failed: number;
}

export function summarise(results: readonly FileCheck[]): CheckSummary {
  const ok = results.filter((result) => result.ok).length;
  return { files: results.length, ok, failed: results.length - ok };
}

/** The `--format json` document: stable shape, consumed by CI and scripts. */
export function checkReportJson(profile: ProfileName, results: readonly FileCheck[]): string {
  const document = {
    profile,
    files: results.map(({ path, ok, violations, warnings, facts }) => ({ path, ok, violations, warnings, facts })),
    summary: summarise(results),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** One readable line for a file's verdict. */
export function checkLine(result: FileCheck, colour: boolean): string {
  const paint = (code: number, text: string) => (colour ? `\u001b[${code}m${text}\u001b[0m` : text);
  if (result.ok) {
    const warnings = result.warnings.length > 0 ? `  (warnings: ${result.warnings.map((warning) => warning.code).join(', ')})` : '';
    return `${paint(32, 'ok  ')}  ${terminalText(result.path)}  ${terminalText(describeFacts(result.facts))}${warnings}`;
  }
  const reasons = result.violations.map((violation) => `[${violation.code}] ${violation.message}`).join(' ');
  return `${paint(31, 'FAIL')}  ${terminalText(result.path)}  ${terminalText(reasons)}`;
}

export function checkSummaryLine(summary: CheckSummary): string {
  const noun = summary.files === 1 ? 'file' : 'files';
  return `${summary.files} ${noun} checked: ${summary.ok} ok, ${summary.failed} failed`;
}

function xml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    // Control characters other than tab and newline are not allowed in XML 1.0.
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

/** JUnit XML: one testcase per file; a failing file's testcase carries every violation. */
export function checkReportJunit(profile: ProfileName, results: readonly FileCheck[]): string {
  const summary = summarise(results);
  const cases = results.map((result) => {
    const open = `    <testcase classname="wavid.check.${profile}" name="${xml(result.path)}" file="${xml(result.path)}">`;
    if (result.ok) return `${open}</testcase>`;
    const codes = result.violations.map((violation) => violation.code).join(', ');
    const body = result.violations.map((violation) => `${violation.code}: ${violation.message}`).join('\n');
    return `${open}\n      <failure type="${xml(codes)}" message="${xml(body.split('\n')[0] ?? '')}">${xml(body)}</failure>\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="wavid check" tests="${summary.files}" failures="${summary.failed}">`,
    `  <testsuite name="wavid check (${profile})" tests="${summary.files}" failures="${summary.failed}" errors="0" skipped="0">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

/** GitHub Actions workflow commands escape these in data and in property values. */
function githubData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function githubProperty(text: string): string {
  return githubData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** Workflow annotations: an error per violation and a warning per warning, each on its file. */
export function checkReportGithub(results: readonly FileCheck[]): string {
  const lines: string[] = [];
  for (const result of results) {
    const file = githubProperty(result.path);
    for (const violation of result.violations) {
      lines.push(`::error file=${file},title=${githubProperty(`WhatsApp video: ${violation.code}`)}::${githubData(violation.message)}`);
    }
    for (const warning of result.warnings) {
      lines.push(`::warning file=${file},title=${githubProperty(`WhatsApp video: ${warning.code}`)}::${githubData(warning.message)}`);
    }
  }
  lines.push(checkSummaryLine(summarise(results)), '');
  return lines.join('\n');
}
