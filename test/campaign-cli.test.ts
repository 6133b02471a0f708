/**
 * `wavid campaign` as a user runs it: killed with SIGKILL mid-campaign and run again (nobody messaged twice,
 * those in flight listed as unknown), and status webhooks with good and bad signatures, redelivered and out of
 * order, read back in the report.
 */
import { openSqliteLedger, signBody } from '@wavid/campaign';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { messagesPerRecipient, numbers, useCampaignScratch } from './support/campaign-scratch.js';
import { jsonBody, type FakeProvider } from './support/fake-provider.js';
import { cliPath, runCli, samplesDir } from './support/tools.js';

const ENV = { WHATSAPP_TOKEN: 'secret-token-1', WHATSAPP_PHONE_NUMBER_ID: '99', WHATSAPP_VERIFY_TOKEN: 'verify-me', WHATSAPP_APP_SECRET: 'app-secret-2' };

const scratch = useCampaignScratch('wavid-campaign-cli-');

/** A list of `count` recipients, each with a name. */
function writeList(count: number): string {
  return scratch.writeList(numbers(count).map((number, index) => `${number},N${index}`));
}

/** Message ids the stand-in gave, by recipient digits. */
const idsByRecipient = new Map<string, string>();

/** A Meta stand-in that answers each message after `delayMs`, with a new message id. */
function provider(delayMs: number): Promise<FakeProvider> {
  idsByRecipient.clear();
  return scratch.startProvider((request, index) => {
    if (request.path === '/v23.0/99/media') return { status: 200, body: { id: 'media-1' } };
    const body = jsonBody(request) as { to: string; type: string };
    expect(body.type).toBe('template');
    const id = `wamid.HBgM${index}`;
    idsByRecipient.set(body.to, id);
    return { status: 200, delayMs, body: { messages: [{ id }] } };
  });
}

function sendArgs(fake: FakeProvider, list: string, extra: string[] = []): string[] {
  return ['campaign', 'send', 'spring', '--video', join(samplesDir, 'compliant.mp4'), '--recipients', list, '--provider', 'meta', '--template', 'spring_sale', '--language', 'en_US', '--param', 'name', '--base-url', fake.url, '--dir', scratch.dir, '--format', 'json', ...extra];
}

interface RunJson {
  requests: number;
  interrupted: number;
  counts: Record<string, number>;
}

describe('wavid campaign', () => {
  it('killed with SIGKILL mid-campaign and run again: nobody messaged twice, those in flight unknown', async () => {
    // Answers slower than the rate, so every one of the 8 requests allowed at once is in flight when it is killed.
    const fake = await provider(300);
    const list = writeList(60);
    let interrupted = 0;
    for (const killAfter of [7, 19, 33]) {
      const child = spawn(process.execPath, [cliPath, ...sendArgs(fake, list, ['--rate', '40', '--concurrency', '8'])], { env: { ...process.env, ...ENV }, stdio: 'ignore' });
      const exited = new Promise((resolve) => child.on('exit', resolve));
      const deadline = Date.now() + 60_000;
      while ([...messagesPerRecipient(fake).values()].reduce((sum, count) => sum + count, 0) < killAfter && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
      child.kill('SIGKILL');
      await exited;
      // Each recipient is claimed just before its request: those caught `sending` are at most the ones in flight.
      const ledger = openSqliteLedger(join(scratch.dir, 'spring.campaign', 'ledger.db'));
      try {
        expect((await ledger.counts()).sending).toBeLessThanOrEqual(8);
      } finally {
        await ledger.close();
      }
      // The killed process's lock is taken over by the next one.
      const report = await runCli(['campaign', 'report', 'spring', '--dir', scratch.dir, '--format', 'json'], { env: ENV });
      expect(report.stderr).toBe('');
      interrupted++;
    }
    const final = await runCli(sendArgs(fake, list, ['--rate', '40']), { env: ENV });
    const result = JSON.parse(final.stdout) as RunJson;
    const { accepted = 0, unknown = 0 } = result.counts;
    expect(final.stderr).toBe('');
    const counts = messagesPerRecipient(fake);
    // At most one request per recipient, over four runs and three kills.
    expect(Math.max(...counts.values())).toBe(1);
    expect(result.counts.pending).toBe(0);
    expect(result.counts.sending).toBe(0);
    expect(accepted + unknown).toBe(60);
    expect(unknown).toBeGreaterThan(0);
    expect(final.code).toBe(1);
    // Every recipient the provider never saw was sent in the end, or is unknown (claimed, then killed).
    const report = JSON.parse((await runCli(['campaign', 'report', 'spring', '--dir', scratch.dir, '--format', 'json'])).stdout) as { unknown: { masked: string; line: number; code: string }[] };
    expect(report.unknown).toHaveLength(unknown);
    expect(report.unknown.every((item) => item.code === 'interrupted' && /^\+49•+\d{4}$/.test(item.masked))).toBe(true);
    expect(interrupted).toBe(3);
    // No number in the clear in any file the campaign wrote.
    const folder = join(scratch.dir, 'spring.campaign');
    for (const file of readdirSync(folder)) {
      if (file.endsWith('.mp4')) continue;
      const bytes = readFileSync(join(folder, file)).toString('latin1');
      expect(bytes).not.toContain('4915100000');
    }
    expect(final.stdout).not.toContain('4915100000');

    // A person decides: the unknown ones are sent again, once.
    const resend = await runCli(sendArgs(fake, list, ['--resend-unknown']), { env: ENV });
    expect(resend.code).toBe(0);
    expect((JSON.parse(resend.stdout) as RunJson).counts).toMatchObject({ accepted: 60, unknown: 0 });
    expect(Math.max(...messagesPerRecipient(fake).values())).toBeLessThanOrEqual(2);
  }, 180_000);

  it('records webhook statuses with a good signature, refuses bad ones, and reports them', async () => {
    const fake = await provider(0);
    const list = writeList(4);
    const sent = await runCli(sendArgs(fake, list), { env: ENV });
    expect(sent.code).toBe(0);

    const child = spawn(process.execPath, [cliPath, 'campaign', 'webhook', '--port', '0', '--dir', scratch.dir], { env: { ...process.env, ...ENV }, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /listening on (http:\/\/\S+);/.exec(out);
          if (match?.[1]) resolve(match[1]);
        });
        child.on('exit', () => {
          reject(new Error(`webhook exited: ${out}`));
        });
      });
      expect(await (await fetch(`${url}/?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=31337`)).text()).toBe('31337');
      expect((await fetch(`${url}/?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=31337`)).status).toBe(403);

      const [a, b, c] = numbers(3).map((number) => number.slice(1));
      const id = (digits: string | undefined) => idsByRecipient.get(digits ?? '') ?? 'missing';
      const status = (digits: string | undefined, value: string, timestamp: number, errors?: unknown[]) => ({ id: id(digits), status: value, timestamp: String(timestamp), recipient_id: digits, ...(errors ? { errors } : {}) });
      const payload = (statuses: unknown[]) =>
        JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: 'W', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { phone_number_id: '99' }, statuses } }] }] });
      const post = (body: string, signature: string | null) =>
        fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(signature === null ? {} : { 'x-hub-signature-256': signature }) }, body });

      const readFirst = payload([status(a, 'read', 30), status(b, 'sent', 10)]);
      expect((await post(readFirst, signBody(readFirst, ENV.WHATSAPP_APP_SECRET))).status).toBe(200);
      // Redelivered, and an older status arriving late.
      expect((await post(readFirst, signBody(readFirst, ENV.WHATSAPP_APP_SECRET))).status).toBe(200);
      const late = payload([status(a, 'delivered', 20), status(b, 'failed', 15, [{ code: 131053, title: 'Media upload error', error_data: { details: 'Unable to fetch' } }])]);
      expect((await post(late, signBody(late, ENV.WHATSAPP_APP_SECRET))).status).toBe(200);
      // Forged or unsigned: refused, nothing stored.
      const forged = payload([status(c, 'failed', 40, [{ code: 131026, title: 'Undeliverable' }])]);
      expect((await post(forged, signBody(forged, 'not-the-secret'))).status).toBe(401);
      expect((await post(forged, null)).status).toBe(401);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
    expect(readFileSync(join(scratch.dir, 'wavid-statuses.jsonl'), 'utf8')).not.toContain('4915100000');

    const report = await runCli(['campaign', 'report', 'spring', '--dir', scratch.dir, '--format', 'json']);
    expect(report.code).toBe(0);
    const content = JSON.parse(report.stdout) as { delivery: Record<string, number>; failures: { code: string; where: string; count: number; explanation: string }[] };
    expect(content.delivery).toEqual({ accepted: 2, sent: 0, delivered: 0, read: 1, failed: 1 });
    expect(content.failures).toEqual([expect.objectContaining({ code: '131053', where: 'delivery', count: 1 })]);
    expect(content.failures[0]?.explanation).toMatch(/wavid checks and fixes the video/);
    const text = await runCli(['campaign', 'report', 'spring', '--dir', scratch.dir]);
    expect(text.stdout).toMatch(/of the accepted: read 1, delivered 0, sent 0, failed later 1/);
    const csv = await runCli(['campaign', 'report', 'spring', '--dir', scratch.dir, '--format', 'csv']);
    expect(csv.stdout.split('\n')[0]).toBe('line,recipient,state,message_id,delivery,error_code,error');
    expect(csv.stdout).toContain('131053');
  }, 120_000);
});
