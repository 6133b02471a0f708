/**
 * A file and a folder the process may not read, end to end: `check` and `run` give each its own verdict and
 * process the rest. Tests usually run as root, which reads everything, so the CLI then runs as `nobody`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, samplesDir } from './support/tools.js';

interface Account {
  uid: number;
  gid: number;
}

/** The unprivileged account to run as: `nobody` when running as root, else the current user. */
function unprivilegedAccount(): Account | null {
  if (process.getuid === undefined || process.getgid === undefined) return null;
  if (process.getuid() !== 0) return { uid: process.getuid(), gid: process.getgid() };
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((entry) => entry.startsWith('nobody:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  return uid !== undefined && gid !== undefined ? { uid: Number(uid), gid: Number(gid) } : null;
}

let root: string;
let folder: string;
let out: string;
let account: Account | null = null;
let skipReason: string | null = null;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'wavid-unreadable-'));
  folder = join(root, 'in');
  out = join(root, 'out');
  mkdirSync(join(folder, 'locked'), { recursive: true });
  mkdirSync(out);
  copyFileSync(join(samplesDir, 'compliant.mp4'), join(folder, 'ready.mp4'));
  copyFileSync(join(samplesDir, 'violation-faststart.mp4'), join(folder, 'moov-at-end.mp4'));
  copyFileSync(join(samplesDir, 'compliant.mp4'), join(folder, 'secret.mp4'));
  copyFileSync(join(samplesDir, 'compliant.mp4'), join(folder, 'locked', 'inside.mp4'));
  chmodSync(root, 0o755);
  for (const name of ['ready.mp4', 'moov-at-end.mp4']) chmodSync(join(folder, name), 0o644);
  chmodSync(join(folder, 'secret.mp4'), 0o000);
  chmodSync(join(folder, 'locked'), 0o000);
  account = unprivilegedAccount();
  if (account === null) {
    skipReason = 'no unprivileged account to run as (no uid on this platform, or no nobody in /etc/passwd)';
    return;
  }
  if (process.getuid?.() === 0) chownSync(out, account.uid, account.gid);
  // The arrangement holds only if that account can run the CLI and cannot read the one file.
  const probe = spawnSync(
    process.execPath,
    ['-e', 'const fs = require("fs"); fs.readFileSync(process.argv[1]); try { fs.readFileSync(process.argv[2]); process.exit(3) } catch {}', cliPath, join(folder, 'secret.mp4')],
    { uid: account.uid, gid: account.gid, encoding: 'utf8' },
  );
  if (probe.status === 3) skipReason = `uid ${account.uid} reads a file of mode 000 (it has CAP_DAC_OVERRIDE)`;
  else if (probe.status !== 0) skipReason = `uid ${account.uid} cannot run the CLI from here: ${probe.stderr || String(probe.error)}`;
});

afterAll(() => {
  chmodSync(join(folder, 'locked'), 0o755);
  rmSync(root, { recursive: true, force: true });
});

function wavidAs(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath, ...args], {
      uid: account?.uid,
      gid: account?.gid,
      cwd: root,
      env: { ...process.env, HOME: root },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

describe('inputs the process may not read', () => {
  it('check gives the unreadable file and folder their own verdict and checks the rest', async (context) => {
    if (skipReason !== null) {
      console.log(`skipped: ${skipReason}`);
      context.skip();
    }
    const check = await wavidAs(['check', folder, '--format', 'json']);
    expect(check.code).toBe(1);
    const files = (JSON.parse(check.stdout) as { files: { path: string; ok: boolean; violations: { code: string; message: string }[] }[] }).files;
    const byName = Object.fromEntries(files.map((file) => [file.path.slice(folder.length + 1), file]));
    expect(Object.keys(byName).sort()).toEqual(['locked', 'moov-at-end.mp4', 'ready.mp4', 'secret.mp4']);
    expect(byName['ready.mp4']).toMatchObject({ ok: true });
    expect(byName['moov-at-end.mp4']?.violations.map((violation) => violation.code)).toEqual(['faststart']);
    for (const name of ['secret.mp4', 'locked']) {
      expect(byName[name]?.violations.map((violation) => violation.code)).toEqual(['unreadable']);
      expect(byName[name]?.violations[0]?.message).toMatch(/EACCES/);
    }
  }, 120_000);

  it('run gives them unreadable-input and prepares the rest', async (context) => {
    if (skipReason !== null) {
      console.log(`skipped: ${skipReason}`);
      context.skip();
    }
    const run = await wavidAs(['run', folder, '--out', out, '--format', 'json']);
    expect(run.code).toBe(1);
    const files = (JSON.parse(run.stdout) as { files: { input: string; ok: boolean; error: { code: string } | null }[] }).files;
    const byInput = Object.fromEntries(files.map((file) => [file.input, file]));
    expect(Object.keys(byInput).sort()).toEqual(['locked', 'moov-at-end.mp4', 'ready.mp4', 'secret.mp4']);
    expect(byInput['ready.mp4']).toMatchObject({ ok: true, error: null });
    expect(byInput['moov-at-end.mp4']).toMatchObject({ ok: true, error: null });
    expect(byInput['secret.mp4']?.error?.code).toBe('unreadable-input');
    expect(byInput['locked']?.error?.code).toBe('unreadable-input');
    const manifest = JSON.parse(readFileSync(join(out, 'wavid-manifest.json'), 'utf8')) as { entries: unknown[] };
    expect(manifest.entries).toHaveLength(4);
  }, 180_000);
});
