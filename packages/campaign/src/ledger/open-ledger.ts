import { access, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RedisLocation } from '@wavid/queue';
import { CampaignError } from '../errors.js';
import type { CampaignLedger } from './ledger.js';
import { openSqliteLedger } from './sqlite-ledger.js';

/**
 * Where a campaign's ledger lives: a database file in the campaign's folder (one machine), or Redis (the job
 * queue's, shared by every machine that sends or reports the campaign).
 */
export type LedgerStore =
  | { kind: 'file' }
  | {
      kind: 'redis';
      redis: RedisLocation;
      /**
       * `vouched`: a person has made sure that the server keeps every acknowledged write through a restart and a
       * failover, where it does not let this be checked (hidden settings, replicas). Default `required`.
       */
      durability?: 'required' | 'vouched' | undefined;
    };

/**
 * The campaign folder remembers a ledger kept in Redis, so that a run that forgets `--redis` does not start a
 * second, empty ledger beside it and message everyone again.
 */
const REDIS_MARKER = 'ledger.redis';

/** The campaign and its folder, as `campaignPaths` gives them. */
export interface CampaignPlace {
  name: string;
  folder: string;
  /** The database file of a ledger kept on this machine. */
  ledger: string;
}

export interface OpenCampaignLedgerOptions {
  paths: CampaignPlace;
  store: LedgerStore;
  /**
   * Create the ledger when there is none (sending); otherwise a missing one is a `bad-ledger` error (reporting, a
   * dry run), and nothing is sent, so a Redis need not be shown to keep every claim.
   */
  create: boolean;
  now?: (() => number) | undefined;
}

/** Opens the campaign's ledger where `store` says, refusing a store other than the one the campaign was started on. */
export async function openCampaignLedger({ paths, store, create, now }: OpenCampaignLedgerOptions): Promise<CampaignLedger> {
  const [hasFile, marker] = await Promise.all([exists(paths.ledger), readMarker(paths)]);
  if (store.kind === 'file') {
    if (marker !== null) throw new CampaignError('settings-changed', `campaign ${paths.name} keeps its ledger in Redis (${marker}); give the same Redis URL to use it`);
    if (!hasFile && !create) throw notStarted(paths);
    return openSqliteLedger(paths.ledger, { now });
  }
  if (hasFile) throw new CampaignError('settings-changed', `campaign ${paths.name} keeps its ledger in ${paths.ledger}, not in Redis; leave out the Redis URL to use it`);
  const { connectLedgerRedis, describeRedis } = await import('./redis-connection.js');
  const { openRedisLedger } = await import('./redis-ledger.js');
  const ledger = await openRedisLedger({ redis: connectLedgerRedis(store.redis), campaign: paths.name, now, durability: create ? (store.durability ?? 'required') : 'not-needed' });
  try {
    if (!create && (await ledger.getSetting('salt')) === null) throw notStarted(paths);
    if (create && marker === null) await writeFile(join(paths.folder, REDIS_MARKER), `${describeRedis(store.redis)}\n`);
    return ledger;
  } catch (error) {
    await ledger.close();
    throw error;
  }
}

/** True when the campaign has a ledger where `store` says: a dry run of a new campaign leaves nothing behind. */
export async function campaignStarted(paths: CampaignPlace, store: LedgerStore): Promise<boolean> {
  if (store.kind === 'file') return exists(paths.ledger);
  return (await readMarker(paths)) !== null;
}

function notStarted(paths: CampaignPlace): CampaignError {
  return new CampaignError('bad-ledger', `there is no campaign ${paths.name} in ${paths.folder}; start it with 'campaign send'`);
}

async function readMarker(paths: CampaignPlace): Promise<string | null> {
  try {
    return (await readFile(join(paths.folder, REDIS_MARKER), 'utf8')).trim();
  } catch {
    return null;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
