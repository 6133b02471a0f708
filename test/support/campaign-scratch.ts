import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { jsonBody, startFakeProvider, type FakeProvider, type ReceivedRequest, type Reply } from './fake-provider.js';

/** What each campaign test works in: a folder of its own and at most one provider stand-in on loopback. */
export interface CampaignScratch {
  /** The running test's folder: campaigns, lists and status files go here. */
  readonly dir: string;
  /** Starts the running test's provider stand-in; it is closed after the test. */
  startProvider(reply: (request: ReceivedRequest, index: number) => Reply): Promise<FakeProvider>;
  /** Writes `list.csv` (header `phone,name`) with these rows into the test's folder; returns its path. */
  writeList(rows: readonly string[]): string;
}

/** Gives each test of the file calling it a new folder and removes it, and the stand-in, after the test. */
export function useCampaignScratch(prefix: string): CampaignScratch {
  let dir: string | undefined;
  let server: FakeProvider | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });
  const current = () => {
    if (dir === undefined) throw new Error('the campaign scratch folder exists only while a test runs');
    return dir;
  };
  return {
    get dir() {
      return current();
    },
    async startProvider(reply) {
      server = await startFakeProvider(reply);
      return server;
    },
    writeList(rows) {
      const path = join(current(), 'list.csv');
      writeFileSync(path, `phone,name\n${rows.join('\n')}\n`);
      return path;
    },
  };
}

/** `count` German mobile numbers, the same in every test. */
export const numbers = (count: number): string[] => Array.from({ length: count }, (_, index) => `+4915100000${String(index).padStart(3, '0')}`);

/** How many message requests the stand-in received for each recipient (digits as sent). */
export function messagesPerRecipient(fake: FakeProvider): Map<string, number> {
  const counts = new Map<string, number>();
  for (const request of fake.requests.filter((item) => item.path.endsWith('/messages'))) {
    const to = (jsonBody(request) as { to: string }).to;
    counts.set(to, (counts.get(to) ?? 0) + 1);
  }
  return counts;
}
