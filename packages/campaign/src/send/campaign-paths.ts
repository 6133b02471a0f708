import { join, resolve } from 'node:path';
import { InvalidOptionError } from '@wavid/publish/without-store';

/** Where a campaign keeps its files: `<dir>/<name>.campaign/`. */
export interface CampaignPaths {
  name: string;
  folder: string;
  ledger: string;
  /** The compliant copy of the video that was uploaded. */
  video: string;
  /** The statuses the webhook stores for every campaign in `dir`. */
  inbox: string;
}

/** The status inbox of the campaigns in a folder. */
export const STATUS_INBOX = 'wavid-statuses.jsonl';

/** Checks a campaign name and returns its paths. A name is a file name: letters, digits, `.`, `_` and `-`. */
export function campaignPaths(name: string, dir = '.'): CampaignPaths {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(name)) {
    throw new InvalidOptionError('name', () => `a campaign name may hold letters, digits, '.', '_' and '-' (at most 100); got '${name}'`);
  }
  const folder = resolve(dir, `${name}.campaign`);
  return { name, folder, ledger: join(folder, 'ledger.db'), video: join(folder, 'video.whatsapp.mp4'), inbox: resolve(dir, STATUS_INBOX) };
}
