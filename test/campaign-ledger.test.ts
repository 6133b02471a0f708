/**
 * The campaign ledger's contract, against both stores: the embedded database file, and Redis (Debian's
 * redis-server on loopback, syncing every write). Then what only Redis has: a lock that expires with its
 * holder and fences it, a refused server that does not sync its writes or cannot be shown to, a restart in the
 * middle, answers lost by a dropped connection, a Redis that stops answering, and `wavid campaign send|report
 * --redis` as a user runs them, killed and resumed from another folder.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { CampaignError, openRedisLedger, openSqliteLedger, sendCampaign, type CampaignLedger, type LedgerEntry, type SendCampaignOptions } from '@wavid/campaign';
import { parseRedisUrl } from '@wavid/queue';
import { messagesPerRecipient, numbers, useCampaignScratch } from './support/campaign-scratch.js';
import { jsonBody, startFakeProvider, type FakeProvider } from './support/fake-provider.js';
import { ledgerContract } from './support/ledger-contract.js';
import { startAnswerDroppingProxy } from './support/redis-proxy.js';
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
      await expect(first.startList()).rejects.toMatchObject({ code: 'locked' });
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

    it('refuses to send with a Redis whose durability cannot be confirmed, unless a person vouches for it', async () => {
      // A user that may not read the settings, as on some managed services.
      const admin = connect();
      await admin.acl('SETUSER', 'limited', 'on', '>limited-pass', '~*', '&*', '+@all', '-config');
      const limited = () => new Redis(server().url.replace('redis://', 'redis://limited:limited-pass@'), { maxRetriesPerRequest: 20 });
      await expect(openRedisLedger({ redis: limited(), campaign: 'hidden' })).rejects.toMatchObject({ code: 'bad-ledger', message: expect.stringMatching(/settings be read.*--trust-redis-durability/) as unknown });
      held.push(await openRedisLedger({ redis: limited(), campaign: 'hidden', durability: 'vouched' }));
      held.push(await openRedisLedger({ redis: limited(), campaign: 'hidden-report', durability: 'not-needed' }));

      // A replica copies each write after it is answered: a failover may lose the last claims.
      const replica = await startRedis();
      const follower = new Redis(replica.url);
      try {
        await follower.replicaof('127.0.0.1', server().port);
        while (!/^connected_slaves:1/m.test(await admin.info('replication'))) await new Promise((resolve) => setTimeout(resolve, 50));
        await expect(open('replicated')).rejects.toMatchObject({ code: 'bad-ledger', message: expect.stringMatching(/1 replica, copied after each answer/) as unknown });
        held.push(await openRedisLedger({ redis: connect(), campaign: 'replicated', durability: 'vouched' }));
      } finally {
        await Promise.all(held.splice(0).map((ledger) => ledger.close()));
        await follower.replicaof('NO', 'ONE');
        follower.disconnect();
        await replica.stop();
        await admin.acl('DELUSER', 'limited');
        admin.disconnect();
      }
    });

    it('answers a claim or a move sent again after its answer was lost as it did the first time', async () => {
      const proxy = await startAnswerDroppingProxy(server().port);
      let ledger: CampaignLedger | undefined;
      try {
        // The lock taken, its answer lost: the SET sent again finds this process's own token.
        proxy.dropAnswerTo('{resent}:lock');
        ledger = await openRedisLedger({ redis: new Redis(proxy.url, { maxRetriesPerRequest: 20 }), campaign: 'resent', now: () => 1000 });
        await ledger.startList();
        // A list's batch sent again finds its rows listed at their own lines: no repeats.
        proxy.dropAnswerTo('claimed-once');
        const rows = ['claimed-once', 'released-once', 'failed-once'].map((key, index) => ({ key, masked: key, line: index + 2 }));
        expect((await ledger.listRecipients(rows)).repeats).toEqual([]);
        // The claim ran, its answer was lost, the client sent it again: the same recipients come back as claimed.
        proxy.dropAnswerTo('claimed-once');
        expect(await ledger.claim(['claimed-once', 'released-once', 'failed-once'])).toEqual(['claimed-once', 'released-once', 'failed-once']);
        proxy.dropAnswerTo('wamid.resent');
        await ledger.markAccepted('claimed-once', 'wamid.resent');
        proxy.dropAnswerTo('released-once');
        await ledger.release('released-once');
        proxy.dropAnswerTo('failed-once');
        await ledger.markFailed('failed-once', '131026', 'Message undeliverable');
        expect(proxy.drops).toBe(6);
        const entries: LedgerEntry[] = [];
        for await (const entry of ledger.entries()) entries.push(entry);
        expect(entries.map((entry) => [entry.key, entry.state, entry.attempts, entry.messageId])).toEqual([
          ['claimed-once', 'accepted', 1, 'wamid.resent'],
          ['released-once', 'pending', 0, null],
          ['failed-once', 'failed', 1, null],
        ]);
        // Another claim or move is not mistaken for the one sent again.
        expect(await ledger.claim(['claimed-once'])).toEqual([]);
        await expect(ledger.markUnknown('claimed-once', 'timeout', 'late')).rejects.toMatchObject({ code: 'bad-ledger' });
      } finally {
        await ledger?.close();
        await proxy.close();
      }
    });

    it('pages the pending recipients of a long, mostly sent list a bounded part at a time', async () => {
      const ledger = await open('long-list');
      held.push(ledger);
      const rows = Array.from({ length: 2500 }, (_, index) => ({ key: `k${index}`, masked: 'm', line: index + 2 }));
      await ledger.startList();
      await ledger.listRecipients(rows);
      const left = new Set(['k0', 'k1700', 'k2499']);
      await ledger.claim(rows.map((row) => row.key).filter((key) => !left.has(key)));
      expect(await ledger.pendingListed(0, 10)).toEqual([{ key: 'k0', line: 2 }, { key: 'k1700', line: 1702 }, { key: 'k2499', line: 2501 }]);
      expect(await ledger.pendingListed(2, 1)).toEqual([{ key: 'k1700', line: 1702 }]);
      expect(await ledger.pendingListed(2501, 10)).toEqual([]);
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

  describe('the send loop when Redis drops or stalls', () => {
    const scratch = useCampaignScratch('wavid-campaign-stall-');
    const META_ENV = { WHATSAPP_TOKEN: 'secret-token-1', WHATSAPP_PHONE_NUMBER_ID: '99' };
    const options = (redisUrl: string, fake: FakeProvider, name: string): SendCampaignOptions => ({
      name,
      dir: scratch.dir,
      ledger: { kind: 'redis', redis: parseRedisUrl(redisUrl) },
      video: join(samplesDir, 'compliant.mp4'),
      recipients: scratch.writeList(numbers(5).map((number) => `${number},Someone`)),
      provider: 'meta',
      message: { kind: 'video', caption: 'Hello' },
      env: META_ENV,
      baseUrl: fake.url,
      concurrency: 1,
    });

    it('neither stops nor leaves anyone sending when the answer to a claim or to an accepted message is lost', async () => {
      const proxy = await startAnswerDroppingProxy(server().port);
      try {
        let messages = 0;
        const fake = await scratch.startProvider((request) => {
          if (request.path === '/v23.0/99/media') return { status: 200, body: { id: 'media-1' } };
          const to = (jsonBody(request) as { to: string }).to;
          messages++;
          // After the second message the next claim's answer is lost; after the fourth, that message's acceptance's.
          if (messages === 2) proxy.dropAnswerTo("'claim'");
          if (messages === 4) proxy.dropAnswerTo(`wamid.${to}`);
          return { status: 200, body: { messages: [{ id: `wamid.${to}` }] } };
        });
        const result = await sendCampaign(options(proxy.url, fake, 'dropped'));
        expect(proxy.drops).toBe(2);
        expect(result.counts).toMatchObject({ accepted: 5, sending: 0, unknown: 0, pending: 0 });
        expect([...messagesPerRecipient(fake).values()]).toEqual([1, 1, 1, 1, 1]);
      } finally {
        await proxy.close();
      }
    });

    it('stops, instead of hanging, when Redis stops answering, and never sends that recipient again', async () => {
      let messages = 0;
      let resumed: Promise<void> | undefined;
      const fake = await scratch.startProvider((request) => {
        if (request.path === '/v23.0/99/media') return { status: 200, body: { id: 'media-1' } };
        const to = (jsonBody(request) as { to: string }).to;
        if (++messages === 2) {
          // Frozen with the acceptance on its way; it answers again well after the run has given up on it (10 s).
          server().pause();
          resumed = new Promise((resolve) => setTimeout(resolve, 15_000)).then(() => { server().resume(); });
        }
        return { status: 200, body: { messages: [{ id: `wamid.${to}` }] } };
      });
      const started = Date.now();
      await expect(sendCampaign(options(server().url, fake, 'stalled'))).rejects.toMatchObject({ code: 'bad-ledger', message: expect.stringMatching(/timed out/) as unknown });
      expect(Date.now() - started).toBeLessThan(30_000);
      await resumed;
      expect(messages).toBe(2);

      // The next run sends the rest; the stalled recipient is accepted (Redis ran the late write) or unknown, never sent again.
      let again = await sendCampaign(options(server().url, fake, 'stalled')).catch((error: unknown) => error);
      for (let tries = 0; again instanceof CampaignError && again.code === 'locked' && tries < 40; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        again = await sendCampaign(options(server().url, fake, 'stalled')).catch((error: unknown) => error);
      }
      if (again instanceof Error) throw again;
      expect((again as { counts: Record<string, number> }).counts).toMatchObject({ pending: 0, sending: 0 });
      const { accepted = 0, unknown = 0 } = (again as { counts: Record<string, number> }).counts;
      expect(accepted + unknown).toBe(5);
      expect([...messagesPerRecipient(fake).values()]).toEqual([1, 1, 1, 1, 1]);
    }, 90_000);
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
