import PQueue from 'p-queue';
import { throwIfCancelled } from '@wavid/foundation';

export interface MapConcurrentOptions {
  concurrency: number;
  signal?: AbortSignal | undefined;
}

/**
 * Runs `worker` over `items` a few at a time and yields each result as it completes. Workers get a
 * signal that aborts when the caller's does or when the caller stops iterating early, so nothing keeps
 * running unseen. A worker that throws ends the iteration with its error once the running ones settle.
 */
export async function* mapConcurrent<T, R>(
  items: readonly T[],
  options: MapConcurrentOptions,
  worker: (item: T, index: number, signal: AbortSignal) => Promise<R>,
): AsyncGenerator<R> {
  const controller = new AbortController();
  const stop = () => {
    controller.abort(options.signal?.reason);
  };
  options.signal?.addEventListener('abort', stop, { once: true });
  if (options.signal?.aborted) stop();

  const queue = new PQueue({ concurrency: options.concurrency });
  const finished: R[] = [];
  let settled = 0;
  const failure: { failed: boolean; error: unknown } = { failed: false, error: undefined };
  let wake: (() => void) | null = null;
  for (const [index, item] of items.entries()) {
    void queue.add(async () => {
      try {
        throwIfCancelled(controller.signal);
        finished.push(await worker(item, index, controller.signal));
      } catch (error) {
        if (!failure.failed) Object.assign(failure, { failed: true, error });
        controller.abort(error);
      } finally {
        settled++;
        wake?.();
      }
    });
  }
  try {
    while (settled < items.length || finished.length > 0) {
      const next = finished.shift();
      if (next !== undefined) {
        yield next;
        continue;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = null;
    }
    if (failure.failed) throw failure.error;
  } finally {
    options.signal?.removeEventListener('abort', stop);
    if (settled < items.length) {
      controller.abort(new Error('the caller stopped reading results'));
      await queue.onIdle();
    }
  }
}
