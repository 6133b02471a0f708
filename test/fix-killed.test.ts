/**
 * `wavid fix` killed with SIGKILL mid-encode: ffmpeg dies with it instead of encoding on to the end (ffmpeg
 * ignores SIGPIPE, so its closed pipes alone do not stop it), and the next fix removes the partial file.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, ffmpeg, runCli } from './support/tools.js';

const hasProc = existsSync('/proc/self/cmdline');
let root: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'wavid-fix-killed-'));
  // MPEG-4 Part 2 must be transcoded: twenty seconds of it keep ffmpeg busy for several seconds.
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=30', '-t', '20', '-c:v', 'mpeg4', '-q:v', '4', join(root, 'clip.mp4')]);
}, 120_000);

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

/** Pids of live processes whose command line mentions `needle` (the output folder is unique to the test). */
function processesMentioning(needle: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const cmdline = readFileSync(join('/proc', name, 'cmdline'), 'utf8');
      const state = /^State:\s+(\w)/m.exec(readFileSync(join('/proc', name, 'status'), 'utf8'))?.[1];
      if (cmdline.includes(needle) && state !== 'Z') found.push(Number(name));
    } catch {
      // Ended while being read.
    }
  }
  return found;
}

async function waitFor<T>(what: string, timeoutMs: number, test: () => T | undefined): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = test();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.skipIf(!hasProc)('wavid fix killed with SIGKILL', () => {
  it('takes its ffmpeg down with it, and the next fix removes the partial file', async () => {
    const out = join(root, 'out');
    const wavid = spawn(process.execPath, [cliPath, 'fix', join(root, 'clip.mp4'), '--out', out], { stdio: 'ignore' });
    const closed = new Promise((resolve) => wavid.on('close', resolve));
    // Kill once ffmpeg has started writing: a partial file that is growing.
    const partial = await waitFor('ffmpeg to write', 60_000, () => {
      const name = existsSync(out) ? readdirSync(out).find((entry) => entry.endsWith('.partial.mp4')) : undefined;
      return name !== undefined && statSync(join(out, name)).size > 0 ? name : undefined;
    });
    const [encoder] = processesMentioning(out);
    expect(encoder).toBeDefined();
    wavid.kill('SIGKILL');
    await closed;

    await waitFor('ffmpeg to end', 5_000, () => (processesMentioning(out).length === 0 ? true : undefined));
    // Nothing writes on once it is gone.
    const sizeAfterKill = statSync(join(out, partial)).size;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(statSync(join(out, partial)).size).toBe(sizeAfterKill);

    const again = await runCli(['fix', join(root, 'clip.mp4'), '--out', out, '--format', 'json']);
    expect(again.code).toBe(0);
    expect(readdirSync(out)).toEqual(['clip.mp4']);
  }, 240_000);
});
