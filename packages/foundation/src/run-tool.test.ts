import { afterEach, describe, expect, it, vi } from 'vitest';
import { orphanWatchdog } from './orphan-watchdog.js';
import { runTool } from './run-tool.js';

describe('runTool and the orphan watchdog', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('untracks a tool once, as soon as it exits, not when its pipes close later', async () => {
    const track = vi.spyOn(orphanWatchdog, 'track').mockImplementation(() => undefined);
    const untrack = vi.spyOn(orphanWatchdog, 'untrack').mockImplementation(() => undefined);
    // The shell exits at once; the sleep it leaves behind holds stderr open, so `close` comes seconds later.
    // Once the shell is reaped its pid may be reused, and the watchdog must no longer kill that pid.
    let settled = false;
    const run = runTool({ binary: '/bin/sh', args: ['-c', 'sleep 3 & exit 0'], timeoutMs: 20_000 }).finally(() => {
      settled = true;
    });
    const pid = track.mock.calls[0]?.[0];
    expect(pid).toBeTypeOf('number');
    await vi.waitFor(() => {
      expect(untrack).toHaveBeenCalledWith(pid);
    }, { timeout: 2_000, interval: 20 });
    expect(settled).toBe(false);
    expect((await run).exitCode).toBe(0);
    expect(untrack).toHaveBeenCalledTimes(1);
  });
});
