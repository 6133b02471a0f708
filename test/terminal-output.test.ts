import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProvider, type FakeProvider } from './support/fake-provider.js';
import { runCli, samplesDir } from './support/tools.js';

/** Any character a terminal acts on rather than shows: C0/C1 controls other than the line end, and direction overrides. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const TERMINAL_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

describe('text output of names and answers from outside', () => {
  let root: string;
  let folder: string;
  let provider: FakeProvider;
  const retitle = 'a\u001b]0;owned\u0007\u001b[2Jb.mp4';
  const reversed = 'invoice\u202Egnp.mp4';

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'wavid-terminal-'));
    folder = join(root, 'in');
    mkdirSync(folder);
    copyFileSync(join(samplesDir, 'compliant.mp4'), join(folder, retitle));
    copyFileSync(join(samplesDir, 'bad-text.mov'), join(folder, reversed));
    provider = await startFakeProvider(() => ({ status: 200, body: { messages: [{ id: 'wamid.\u001b]0;pwned\u0007', message_status: 'accepted\u001b[2J' }] } }));
  });

  afterAll(async () => {
    await provider.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('wavid check shows control characters and direction overrides in file names as escapes', async () => {
    const run = await runCli(['check', folder]);
    expect(run.code).toBe(1);
    expect(run.stdout).not.toMatch(TERMINAL_CONTROL);
    expect(run.stdout).toContain('a\\x1b]0;owned\\x07\\x1b[2Jb.mp4');
    expect(run.stdout).toContain('invoice\\u202egnp.mp4');
  });

  it('wavid fix does too, in its lines and its error messages', async () => {
    const run = await runCli(['fix', folder, '--out', join(root, 'out')]);
    expect(run.stdout + run.stderr).not.toMatch(TERMINAL_CONTROL);
  });

  it('wavid send shows a provider answer with escapes, and JSON output stays JSON', async () => {
    const args = ['send', '--provider', 'meta', '--to', '+4915112345678', '--link', 'https://cdn.example.com/a.mp4', '--base-url', provider.url];
    const env = { WHATSAPP_TOKEN: 'token-for-tests', WHATSAPP_PHONE_NUMBER_ID: '1' };
    const text = await runCli(args, { env });
    expect(text.code).toBe(0);
    expect(text.stdout).not.toMatch(TERMINAL_CONTROL);
    expect(text.stdout).toContain('wamid.\\x1b]0;pwned\\x07');
    const json = await runCli([...args, '--format', 'json'], { env });
    expect((JSON.parse(json.stdout) as { messageId: string }).messageId).toBe('wamid.\u001b]0;pwned\u0007');
  });

  it('wavid run refuses a password in --base-url without printing it', async () => {
    const run = await runCli(['run', folder, '--out', join(root, 'run-out'), '--provider', 'meta', '--base-url', 'http://user:hunter2@127.0.0.1:9'], {
      env: { WHATSAPP_TOKEN: 'token-for-tests', WHATSAPP_PHONE_NUMBER_ID: '1' },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--base-url may not contain a user name or password');
    expect(run.stdout + run.stderr).not.toContain('hunter2');
  });
});
