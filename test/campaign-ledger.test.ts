/**
 * The campaign ledger's contract, against both stores: the embedded database file, and Redis (Debian's
 * redis-server on loopback, syncing every write). Then what only Redis has: a lock that expires with its
 * holder and fences it, a refused server that does not sync its writes, a restart in the middle, and
 * `wavid campaign send|report --redis` as a user runs them, killed and resumed from another folder.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { CampaignError, openRedisLedger, openSqliteLedger, type CampaignLedger } from '@wavid/campaign';
import { jsonBody, startFakeProvider, type FakeProvider } from './support/fake-provider.js';
import { ledgerContract } from './support/ledger-contract.js';
import { redisUnavailableReason, startRedis } from './support/redis-server.js';
import { describeWithService } from './support/service-suite.js';
import { cliPath, runCli, samplesDir } from './support/tools.js';

const redis = {
  unavailable: await redisUnavailableReason(),
  async start(onStop: (stop: () => Promise<unknown>) => void) {
    const started = await startRedis();
    onStop(() => started.stop());
    return started;
  },
};

describe('the ledger in a database file', () => {
  let dir = '';
  ledgerContract({
    open() {
      dir = mkdtempSync(join(tmpdir(), 'wavid-ledger-'));
      return Promise.resolve(openSqliteLedger(join(dir, 'ledger.db'), { now: () => 1000 }));
    },
    cleanUp() {
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  });
});

describeWithService('the ledger in Redis', redis, (server) => {
  let campaigns = 0;
  const connect = () => new Redis(server().url, { maxRetriesPerRequest: 20 });
  const open = (campaign: string, lockTtlMs?: number) => openRedisLedger({ redis: connect(), campaign, lockTtlMs, now: () => 1000 });

  describe('contract', () => {
    ledgerContract({ open: () => open(`contract-${++campaigns}`) });
  });

  describe('what only Redis has', () => {
    const held: CampaignLedger[] = [];
    afterEach(async () => {
      await Promise.all(held.splice(0).map((ledger) => ledger.close()));
    });

    it('is held by one process at a time, and a process that lost the lock can claim no one', async () => {
      const first = await open('locked');
      held.push(first);
      await first.addRecipients([{ key: 'a', masked: 'a', line: 2 }, { key: 'b', masked: 'b', line: 3 }]);
      await expect(open('locked')).rejects.toMatchObject({ code: 'locked' });
      // The holder stalls past its lock (as a process stopped for a long while): another one takes over.
      const admin = connect();
      await admin.del('wavid:campaign:{locked}:lock');
      const second = await open('locked');
      held.push(second);
      await expect(first.claim(['a'])).rejects.toMatchObject({ code: 'locked' });
      expect(await second.claim(['a', 'b'])).toEqual(['a', 'b']);
      admin.disconnect();
    });

    it('takes over the lock of a process that stopped renewing it', async () => {
      // A process that dies renews nothing: its connection drops, as under SIGKILL.
      const connection = connect();
      held.push(await openRedisLedger({ redis: connection, campaign: 'expired', lockTtlMs: 1000 }));
      connection.disconnect();
      const started = Date.now();
      let taken: CampaignLedger | undefined;
      while (!taken) {
        try {
          taken = await open('expired', 1000);
        } catch (error) {
          if (!(error instanceof CampaignError) || error.code !== 'locked' || Date.now() - started > 10_000) throw error;
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
      held.push(taken);
      expect(Date.now() - started).toBeLessThan(10_000);
    });

    it('refuses a Redis that does not sync every write before answering', async () => {
      const admin = connect();
      await admin.config('SET', 'appendfsync', 'everysec');
      try {
        await expect(open('not-durable')).rejects.toMatchObject({ code: 'bad-ledger', message: expect.stringMatching(/appendfsync always/) as unknown });
      } finally {
        await admin.config('SET', 'appendfsync', 'always');
        admin.disconnect();
      }
    });

    it('keeps every claim through a Redis restart', async () => {
      const ledger = await open('restart');
      held.push(ledger);
      await ledger.addRecipients([{ key: 'a', masked: 'a', line: 2 }, { key: 'b', masked: 'b', line: 3 }]);
      await ledger.claim(['a']);
      await server().restart({ downMs: 200 });
      expect(await ledger.counts()).toMatchObject({ pending: 1, sending: 1 });
      await ledger.markAccepted('a', 'wamid.1');
      expect(await ledger.counts()).toMatchObject({ pending: 1, accepted: 1 });
    });
  });

  describe('wavid campaign --redis', () => {
    const ENV = { WHATSAPP_TOKEN: 'secret-token-1', WHATSAPP_PHONE_NUMBER_ID: '99' };
    let dirs: string[] = [];
    let fake: FakeProvider;
    const folder = () => {
      const dir = mkdtempSync(join(tmpdir(), 'wavid-campaign-redis-'));
      dirs.push(dir);
      return dir;
    };
    afterEach(async () => {
      await fake.close();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
      dirs = [];
    });

    it('resumes a killed campaign from another folder, as another machine would, messaging nobody twice', async () => {
      fake = await startFakeProvider((request, index) => {
        if (request.path === '/v23.0/99/media') return { status: 200, body: { id: 'media-1' } };
        return { status: 200, delayMs: 100, body: { messages: [{ id: `wamid.R${index}` }] } };
      });
      const listDir = folder();
      const list = join(listDir, 'list.csv');
      writeFileSync(list, `phone\n${Array.from({ length: 40 }, (_, index) => `+4915100001${String(index).padStart(3, '0')}`).join('\n')}\n`);
      const args = (dir: string, extra: string[] = []) => [
        'campaign', 'send', 'autumn', '--video', join(samplesDir, 'compliant.mp4'), '--recipients', list, '--provider', 'meta',
        '--caption', 'Hello', '--base-url', fake.url, '--dir', dir, '--redis', server().url, '--format', 'json', ...extra,
      ];
      const firstMachine = folder();
      const child = spawn(process.execPath, [cliPath, ...args(firstMachine, ['--rate', '20', '--concurrency', '4'])], { env: { ...process.env, ...ENV }, stdio: 'ignore' });
      const exited = new Promise((resolve) => child.on('exit', resolve));
      const messages = () => fake.requests.filter((request) => request.path.endsWith('/messages'));
      const deadline = Date.now() + 60_000;
      while (messages().length < 12 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
      child.kill('SIGKILL');
      await exited;

      // Another machine, another folder, the same Redis: it waits out the dead one's lock, then resumes.
      const secondMachine = folder();
      let final = await runCli(args(secondMachine), { env: ENV });
      for (let tries = 0; final.code === 1 && /in use by another process/.test(final.stderr) && tries < 30; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 2000));
        final = await runCli(args(secondMachine), { env: ENV });
      }
      const result = JSON.parse(final.stdout) as { counts: Record<string, number>; interrupted: number };
      expect(result.counts.pending).toBe(0);
      expect((result.counts.accepted ?? 0) + (result.counts.unknown ?? 0)).toBe(40);
      expect(result.interrupted).toBe(result.counts.unknown);
      const perRecipient = new Map<string, number>();
      for (const request of messages()) {
        const to = (jsonBody(request) as { to: string }).to;
        perRecipient.set(to, (perRecipient.get(to) ?? 0) + 1);
      }
      expect(Math.max(...perRecipient.values())).toBe(1);
      // Everyone accepted got one request; of the unknown (in flight at the kill), some reached the provider.
      expect(perRecipient.size).toBeGreaterThanOrEqual(result.counts.accepted ?? 0);
      expect(perRecipient.size).toBeLessThanOrEqual(40);

      // The report reads the same ledger from anywhere; without --redis the first folder refuses to start over.
      const report = await runCli(['campaign', 'report', 'autumn', '--dir', folder(), '--redis', server().url, '--format', 'json']);
      expect(report.code).toBe(0);
      expect((JSON.parse(report.stdout) as { unknown: unknown[] }).unknown).toHaveLength(result.counts.unknown ?? 0);
      const before = messages().length;
      const forgotten = await runCli(args(firstMachine).filter((arg, index, all) => arg !== '--redis' && all[index - 1] !== '--redis'), { env: ENV });
      expect(forgotten.code).not.toBe(0);
      expect(forgotten.stderr).toMatch(/keeps its ledger in Redis/);
      expect(messages().length).toBe(before);
    }, 240_000);
  });
});
