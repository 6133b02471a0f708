import { access } from 'node:fs/promises';
import { openSqliteLedger } from '../ledger/sqlite-ledger.js';
import { campaignPaths } from '../send/campaign-paths.js';
import { CampaignError } from '../errors.js';
import { foldInbox } from '../webhook/status-inbox.js';
import { buildReport, type CampaignReport } from './campaign-report.js';
import type { CampaignLedger } from '../ledger/ledger.js';

/**
 * Opens a campaign's ledger, folds in the statuses the webhook stored since, and hands it to `work`. A campaign
 * that was never started is a CampaignError `bad-ledger`; one being sent right now is `locked`.
 */
export async function withCampaign<T>(name: string, dir: string | undefined, work: (ledger: CampaignLedger) => Promise<T>): Promise<T> {
  const paths = campaignPaths(name, dir);
  try {
    await access(paths.ledger);
  } catch {
    throw new CampaignError('bad-ledger', `there is no campaign ${name} in ${paths.folder}; start it with 'campaign send'`);
  }
  const ledger = openSqliteLedger(paths.ledger);
  try {
    await foldInbox(ledger, paths.inbox);
    return await work(ledger);
  } finally {
    await ledger.close();
  }
}

/** The report of a campaign, with the webhook's statuses folded in. */
export function readCampaignReport(name: string, dir?: string): Promise<CampaignReport> {
  return withCampaign(name, dir, (ledger) => buildReport(ledger.entries()));
}
