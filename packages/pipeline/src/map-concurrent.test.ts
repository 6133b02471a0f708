import { describe, expect, it } from 'vitest';
import { mapConcurrent } from './map-concurrent.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function collect<R>(iterator: AsyncGenerator<R>): Promise<R[]> {
  const results: R[] = [];
  for await (const result of iterator) results.push(result);
  return results;
}

describe('mapConcurrent', () => {
  it('yields results as they complete, never more running than the concurrency', async () => {
    let running = 0;
    let most = 0;
    const results = await collect(
      mapConcurrent([30, 5, 10, 1], { concurrency: 2 }, async (delay) => {
        most = Math.max(most, ++running);
        await pause(delay);
        running--;
        return delay;
      }),
    );
    expect(results.sort((a, b) => a - b)).toEqual([1, 5, 10, 30]);
    expect(most).toBe(2);
  });

  it('yields nothing for no items', async () => {
    expect(await collect(mapConcurrent([], { concurrency: 2 }, () => Promise.resolve(1)))).toEqual([]);
  });

  it('stops the rest and rethrows when a worker throws', async () => {
    const started: number[] = [];
    const run = collect(
      mapConcurrent([1, 2, 3, 4, 5], { concurrency: 1 }, async (item) => {
        started.push(item);
        await pause(1);
        if (item === 2) throw new Error('broken');
        return item;
      }),
    );
    await expect(run).rejects.toThrow('broken');
    expect(started).toEqual([1, 2]);
  });

  it("aborts the workers' signal when the caller's signal aborts", async () => {
    const controller = new AbortController();
    const seen: boolean[] = [];
    const run = collect(
      mapConcurrent([1, 2], { concurrency: 2, signal: controller.signal }, async (_item, _index, signal) => {
        await new Promise((resolve) => {
          signal.addEventListener('abort', resolve, { once: true });
        });
        seen.push(signal.aborted);
        throw signal.reason;
      }),
    );
    controller.abort(new Error('cancelled'));
    await expect(run).rejects.toThrow('cancelled');
    expect(seen).toEqual([true, true]);
  });

  it('aborts the running workers when the caller stops reading early', async () => {
    let aborted = 0;
    for await (const result of mapConcurrent([1, 2, 3], { concurrency: 3 }, async (item, _index, signal) => {
      if (item === 1) return item;
      await new Promise((resolve) => {
          signal.addEventListener('abort', resolve, { once: true });
        });
      aborted++;
      return item;
    })) {
      expect(result).toBe(1);
      break;
    }
    expect(aborted).toBe(2);
  });
});
