import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { isProcessRunning } from './process-running.js';

describe('isProcessRunning', () => {
  // A child that has exited and been reaped: its id is free (reuse within the test is very unlikely).
  const exited = spawnSync(process.execPath, ['-e', '']).pid;

  it.each([
    ['this process', process.pid, true],
    // pid 1 always runs; signalling it is refused (EPERM) unless the tests run as root.
    ['pid 1', 1, true],
    ['a process that has exited', exited, false],
    ['0, which addresses this process group', 0, false],
    ['a negative id, which addresses a group', -1, false],
    ['a fraction', 1.5, false],
    ['NaN', Number.NaN, false],
    ['an id past any real one', 2 ** 53, false],
  ] as const)('%s', (_name, pid, running) => {
    expect(isProcessRunning(pid)).toBe(running);
  });
});
