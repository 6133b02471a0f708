import { readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { isProcessRunning } from '@wavid/foundation';
import { CampaignError } from '../errors.js';

/** The lock a process holds while it writes a campaign's ledger. */
export interface CampaignLock {
  release(): void;
}

/**
 * Takes `<ledger>.pid`, a file created exclusively with this process's id. A lock left by a process that no longer
 * runs (killed, machine restarted) is taken over, and so is the database's own lock directory that such a process
 * leaves behind. A lock held by a live process is a CampaignError `locked`: two processes sending one campaign
 * could message a recipient twice.
 */
export function lockCampaign(ledgerPath: string): CampaignLock {
  const pidFile = `${ledgerPath}.pid`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(pidFile, `${process.pid}\n`, { flag: 'wx' });
      // Only a process holding the pid file gets here, so a leftover database lock is stale.
      rmSync(`${ledgerPath}.lock`, { recursive: true, force: true });
      return {
        release() {
          try {
            unlinkSync(pidFile);
          } catch {
            // Already gone: nothing to release.
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number.parseInt(readPid(pidFile), 10);
      if (isProcessRunning(holder)) {
        throw new CampaignError('locked', `the campaign is in use by process ${holder}; wait for it to finish or stop it first`);
      }
      try {
        unlinkSync(pidFile);
      } catch {
        // Another process took it over first; the next attempt finds out.
      }
    }
  }
  throw new CampaignError('locked', 'the campaign is being opened by another process at the same time');
}

function readPid(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
}
