import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CampaignLedger } from './ledger.js';
import { openSqliteLedger } from './sqlite-ledger.js';
import { canMove, mergeDelivery } from './transitions.js';

describe('transitions', () => {
  it('lets a message go out only from pending, and back to pending from unknown only by decision', () => {
    expect(canMove('pending', 'sending')).toBe(true);
    expect(canMove('pending', 'accepted')).toBe(false);
    expect(canMove('accepted', 'pending')).toBe(false);
    expect(canMove('failed', 'sending')).toBe(false);
    expect(canMove('unknown', 'sending')).toBe(false);
    expect(canMove('unknown', 'pending')).toBe(true);
  });

  it.each([
    [null, 'sent', 'sent'],
    ['sent', 'delivered', 'delivered'],
    ['delivered', 'read', 'read'],
    [null, 'read', 'read'],
    ['read', 'delivered', null],
    ['delivered', 'delivered', null],
    ['sent', 'failed', 'failed'],
    ['failed', 'sent', null],
    ['read', 'failed', null],
  ] as const)('%s then %s keeps %s', (current, incoming, expected) => {
    expect(mergeDelivery(current, incoming)).toBe(expected);
  });
});

// What every ledger does is in test/campaign-ledger.test.ts, for both stores; here, what only the file has.
describe('sqlite ledger', () => {
  let dir: string;
  let ledger: CampaignLedger;
  const path = () => join(dir, 'ledger.db');

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wavid-ledger-'));
    ledger = openSqliteLedger(path(), { now: () => 1000 });
  });
  afterEach(async () => {
    await ledger.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is held by one process at a time, and a lock of a dead process is taken over', async () => {
    expect(() => openSqliteLedger(path())).toThrow(/in use by process/);
    await ledger.addRecipients([{ key: 'a', masked: 'a', line: 2 }]);
    await ledger.close();
    // A process that no longer runs, and the database lock directory it left.
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    writeFileSync(`${path()}.pid`, `${dead}\n`);
    mkdirSync(`${path()}.lock`);
    ledger = openSqliteLedger(path());
    expect(await ledger.counts()).toMatchObject({ pending: 1 });
  });
});
