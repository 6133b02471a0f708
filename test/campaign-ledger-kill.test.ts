/**
 * The ledger's durability promise: a write that returned survives SIGKILL. A child process claims recipients
 * one by one and reports each claim after it returned; it is killed at a random moment, and every claim it
 * reported must be in the ledger.
 */
import { openSqliteLedger } from '@wavid/campaign';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { repoRoot } from './support/tools.js';

const CHILD = `
import { openSqliteLedger } from '@wavid/campaign';
import { writeSync } from 'node:fs';
const ledger = openSqliteLedger(process.argv[1]);
const keys = Array.from({ length: 5000 }, (_, index) => 'k' + index);
await ledger.addRecipients(keys.map((key, index) => ({ key, masked: key, line: index + 2 })));
for (const key of await ledger.pendingKeys()) {
  const claimed = await ledger.claim([key]);
  if (claimed.length === 1) await ledger.markAccepted(key, 'm-' + key);
  // Written at once: the loop never yields, so a buffered stream would hold the lines back.
  writeSync(1, key + '\\n');
}
`;

it('keeps every write that returned when the process is killed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wavid-ledger-kill-'));
  const path = join(dir, 'ledger.db');
  try {
    for (let round = 0; round < 3; round++) {
      const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, path], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
      const reported: string[] = [];
      let buffer = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        for (const line of lines) {
          reported.push(line);
        }
      });
      const exited = new Promise((resolve) => child.on('exit', resolve));
      const deadline = Date.now() + 60_000;
      // Killed at a random moment after the claims began.
      while (reported.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 400));
      child.kill('SIGKILL');
      await exited;
      const ledger = openSqliteLedger(path);
      try {
        const accepted = new Set<string>();
        const claims = reported.slice(0);
        for await (const entry of ledger.entries()) if (entry.state === 'accepted') accepted.add(entry.key);
        expect(claims.length).toBeGreaterThan(1);
        expect(claims.filter((key) => !accepted.has(key))).toEqual([]);
        expect(await ledger.recoverInterrupted()).toBeLessThanOrEqual(1);
      } finally {
        await ledger.close();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);
