/**
 * The README's local campaign walk-through, step by step as a newcomer runs it: the webhook and the Meta
 * stand-in from `examples/`, a dry run, a send killed halfway with SIGKILL, the re-run, and the report with the
 * statuses the stand-in posted. Nobody is messaged twice, and the report says who got the video and why not.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliPath, repoRoot, runCli, samplesDir } from './support/tools.js';

const ENV = { WHATSAPP_TOKEN: 'stand-in', WHATSAPP_PHONE_NUMBER_ID: '1', WHATSAPP_VERIFY_TOKEN: 'local', WHATSAPP_APP_SECRET: 'local-secret' };
const dir = mkdtempSync(join(tmpdir(), 'wavid-walkthrough-'));
const children: ChildProcess[] = [];

afterAll(() => {
  for (const child of children) child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

/** Starts a long-running program and resolves with the URL it prints once it listens. */
function startListening(args: string[]): Promise<string> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...ENV }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/[\d.:]+)/.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    child.on('exit', (code) => {
      reject(new Error(`${args.join(' ')} exited with ${String(code)}: ${out}`));
    });
  });
}

describe('the local campaign walk-through', () => {
  it('dry run, a send killed halfway, the re-run, statuses and the report: nobody messaged twice', async () => {
    const webhook = await startListening([cliPath, 'campaign', 'webhook', '--port', '0', '--dir', dir]);
    const standIn = await startListening([join(repoRoot, 'examples', 'meta-stand-in.mjs'), '--port', '0', '--webhook', `${webhook}/`]);
    const send = [
      'campaign', 'send', 'demo', '--dir', dir, '--video', join(samplesDir, 'compliant.mp4'), '--recipients', join(repoRoot, 'examples', 'recipients.csv'),
      '--provider', 'meta', '--template', 'spring_sale', '--language', 'en_US', '--param', 'first_name', '--base-url', standIn, '--rate', '20',
    ];
    const counts = async () => (await (await fetch(`${standIn}/stand-in/counts`)).json()) as { requests: number; recipients: number; mostToOneRecipient: number };

    const dry = await runCli([...send, '--dry-run'], { env: ENV });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/300/);
    expect(dry.stdout).not.toContain('4915104000000');
    expect((await counts()).requests).toBe(0);

    // Killed halfway, as `timeout -s KILL` does.
    const killed = spawn(process.execPath, [cliPath, ...send], { env: { ...process.env, ...ENV }, stdio: 'ignore' });
    const exited = new Promise((resolve) => killed.on('exit', resolve));
    const deadline = Date.now() + 60_000;
    while ((await counts()).requests < 100 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    killed.kill('SIGKILL');
    await exited;
    const beforeRerun = (await counts()).requests;
    expect(beforeRerun).toBeGreaterThanOrEqual(100);
    expect(beforeRerun).toBeLessThan(300);

    const rerun = await runCli([...send, '--format', 'json'], { env: ENV });
    const result = JSON.parse(rerun.stdout) as { counts: Record<string, number>; interrupted: number };
    expect(result.counts.pending).toBe(0);
    expect((result.counts.accepted ?? 0) + (result.counts.unknown ?? 0)).toBe(300);
    expect(rerun.code).toBe(result.counts.unknown ? 1 : 0);
    const after = await counts();
    expect(after.mostToOneRecipient).toBe(1);
    expect(after.recipients).toBe(after.requests);

    // The stand-in posts statuses every 300 ms; wait until the inbox has them all, then read the report.
    let report: { delivery: Record<string, number>; failures: { code: string; where: string; count: number }[] } | undefined;
    for (let tries = 0; tries < 50; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const read = await runCli(['campaign', 'report', 'demo', '--dir', dir, '--format', 'json']);
      expect(read.code).toBe(0);
      report = JSON.parse(read.stdout) as typeof report;
      const delivery = report?.delivery ?? {};
      if ((delivery.read ?? 0) + (delivery.delivered ?? 0) + (delivery.failed ?? 0) >= (result.counts.accepted ?? 0)) break;
    }
    const accepted = result.counts.accepted ?? 0;
    // Numbers ending in 13 fail later; those ending in 7 are delivered, never read; the rest are read.
    expect(report?.delivery.failed).toBeGreaterThanOrEqual(1);
    expect((report?.delivery.read ?? 0) + (report?.delivery.delivered ?? 0) + (report?.delivery.failed ?? 0)).toBe(accepted);
    expect(report?.failures).toContainEqual(expect.objectContaining({ code: '131026', where: 'delivery' }));
    const text = await runCli(['campaign', 'report', 'demo', '--dir', dir]);
    expect(text.stdout).not.toMatch(/4915104\d{6}/);
  }, 240_000);
});
