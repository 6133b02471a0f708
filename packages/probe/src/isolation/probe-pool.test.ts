import { describe, expect, it } from 'vitest';
import { ProbePool } from './probe-pool.js';

/** Stands in for the probe's worker: the path says how to misbehave. */
const RUNAWAY_WORKER = `
import { parentPort } from 'node:worker_threads';

parentPort.on('message', ({ id, path }) => {
  if (path === 'grow') {
    const kept = [];
    for (;;) kept.push('x'.repeat(1024) + kept.length);
  }
  if (path === 'spin') for (;;);
  if (path === 'throw') {
    parentPort.postMessage({ id, ok: false, error: { kind: 'parse', message: 'bad bytes' } });
    return;
  }
  parentPort.postMessage({ id, ok: true, result: { facts: { path, problem: null }, ffprobe: null } });
});
parentPort.postMessage({ ready: true });
`;
const runaway = new URL(`data:text/javascript,${encodeURIComponent(RUNAWAY_WORKER)}`);

/** A well-behaved stand-in that announces each start on a broadcast channel, so a test can count workers. */
const COUNTED_WORKER = `
import { parentPort } from 'node:worker_threads';

new BroadcastChannel('wavid-probe-pool-starts').postMessage('started');
parentPort.on('message', ({ id, path }) => {
  parentPort.postMessage({ id, ok: true, result: { facts: { path, problem: null }, ffprobe: null } });
});
parentPort.postMessage({ ready: true });
`;
const counted = new URL(`data:text/javascript,${encodeURIComponent(COUNTED_WORKER)}`);

describe('ProbePool', () => {
  it('warms up one worker that takes the first file, without starting another for it', async () => {
    const starts = new BroadcastChannel('wavid-probe-pool-starts');
    let started = 0;
    starts.onmessage = () => {
      started++;
    };
    try {
      const pool = new ProbePool(2, counted);
      pool.warmUp();
      expect((await pool.read('a', 5_000)).facts.path).toBe('a');
      expect((await pool.read('b', 5_000)).facts.path).toBe('b');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(started).toBe(1);
    } finally {
      starts.close();
    }
  });

  it('answers with one message round trip per file', async () => {
    const pool = new ProbePool(1, runaway);
    const results = await Promise.all(['a', 'b', 'c'].map((path) => pool.read(path, 5_000)));
    expect(results.map((result) => result.facts.path)).toEqual(['a', 'b', 'c']);
  });

  it('ends a worker that runs out of heap, reports the file unreadable, and carries on', async () => {
    const pool = new ProbePool(1, runaway);
    const [grown, after] = await Promise.all([pool.read('grow', 60_000), pool.read('after', 60_000)]);
    expect(grown.facts.problem).toMatchObject({ reason: 'unsupported', message: expect.stringContaining('memory') as string });
    expect(after.facts).toMatchObject({ path: 'after', problem: null });
  });

  it('ends a worker that runs over its time budget, reports the file unreadable, and carries on', async () => {
    const pool = new ProbePool(1, runaway);
    const started = Date.now();
    const [spun, after] = await Promise.all([pool.read('spin', 300), pool.read('after', 5_000)]);
    expect(spun.facts.problem).toMatchObject({ reason: 'timeout' });
    expect(after.facts).toMatchObject({ path: 'after', problem: null });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('turns an exception from reading the bytes into an unreadable verdict', async () => {
    const pool = new ProbePool(1, runaway);
    const result = await pool.read('throw', 5_000);
    expect(result.facts.problem).toMatchObject({ reason: 'corrupt', message: expect.stringContaining('bad bytes') as string });
  });

  it('stops waiting when the signal aborts', async () => {
    const pool = new ProbePool(1, runaway);
    await expect(pool.read('spin', 2_000, AbortSignal.timeout(50))).rejects.toThrow();
  });
});
