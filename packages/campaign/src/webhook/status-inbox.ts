import { appendFile, open, readFile, stat } from 'node:fs/promises';
import type { CampaignLedger, StatusUpdate } from '../ledger/ledger.js';

/** Where a webhook puts the statuses it accepted. */
export interface StatusSink {
  record(updates: readonly StatusUpdate[]): Promise<void>;
}

/**
 * An append-only file of statuses, one JSON object a line, synced before the webhook answers 200 (so a status
 * Meta was told we have is on disk). The ledger's file belongs to the process sending the campaign, so the
 * webhook writes here and each campaign folds the file into its ledger when it is opened. Applying a status is
 * idempotent and order-independent, so reading a line twice is harmless.
 */
export function statusInbox(path: string): StatusSink {
  return {
    async record(updates) {
      if (updates.length === 0) return;
      await appendFile(path, updates.map((update) => `${JSON.stringify(update)}\n`).join(''));
      const handle = await open(path, 'r');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    },
  };
}

/** A sink that records straight into a ledger, for an application that holds the ledger open itself. */
export function ledgerSink(ledger: CampaignLedger): StatusSink {
  return {
    async record(updates) {
      for (const update of updates) await ledger.applyStatus(update);
    },
  };
}

/**
 * Applies the inbox's statuses from the byte offset the ledger reached last time, and remembers the new offset.
 * Returns how many statuses changed an entry. A shorter file than the offset (rotated, replaced) is read from
 * the start.
 */
export async function foldInbox(ledger: CampaignLedger, path: string): Promise<{ applied: number; read: number }> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    return { applied: 0, read: 0 };
  }
  const saved = Number(await ledger.getSetting('inbox-offset'));
  const from = Number.isSafeInteger(saved) && saved > 0 && saved <= size ? saved : 0;
  const text = (await readFile(path)).subarray(from).toString('utf8');
  // Only whole lines: a line still being written is read next time.
  const end = text.lastIndexOf('\n') + 1;
  let applied = 0;
  let read = 0;
  for (const line of text.slice(0, end).split('\n')) {
    if (line.trim() === '') continue;
    let update: StatusUpdate;
    try {
      update = JSON.parse(line) as StatusUpdate;
    } catch {
      continue;
    }
    read++;
    if ((await ledger.applyStatus(update)) === 'applied') applied++;
  }
  await ledger.setSetting('inbox-offset', String(from + Buffer.byteLength(text.slice(0, end))));
  return { applied, read };
}
