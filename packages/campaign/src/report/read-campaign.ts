import { openCampaignLedger, type LedgerStore } from '../ledger/open-ledger.js';
import { campaignPaths } from '../send/campaign-paths.js';
import { foldInbox } from '../webhook/status-inbox.js';
import { buildReport, type CampaignReport } from './campaign-report.js';
import type { CampaignLedger } from '../ledger/ledger.js';

/** Which campaign, and where its files and ledger are (as given to `sendCampaign`). */
export interface CampaignLocation {
  name: string;
  /** Default: the working folder. */
  dir?: string | undefined;
  /** Default: the database file in the campaign's folder. */
  ledger?: LedgerStore | undefined;
}

/**
 * Opens a campaign's ledger, folds in the statuses the webhook stored since, and hands it to `work`. A campaign
 * that was never started is a CampaignError `bad-ledger`; one being sent right now is `locked`.
 */
export async function withCampaign<T>({ name, dir, ledger: store }: CampaignLocation, work: (ledger: CampaignLedger) => Promise<T>): Promise<T> {
  const paths = campaignPaths(name, dir);
  const ledger = await openCampaignLedger({ paths, store: store ?? { kind: 'file' }, create: false });
  try {
    await foldInbox(ledger, paths.inbox);
    return await work(ledger);
  } finally {
    await ledger.close();
  }
}

/** The report of a campaign, with the webhook's statuses folded in. */
export function readCampaignReport(campaign: CampaignLocation): Promise<CampaignReport> {
  return withCampaign(campaign, (ledger) => buildReport(ledger.entries()));
}
