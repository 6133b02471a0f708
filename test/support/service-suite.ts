import { afterAll, beforeAll, describe } from 'vitest';

const inCi = process.env.CI !== undefined && !['', '0', 'false'].includes(process.env.CI.toLowerCase());

export interface TestService<T> {
  /** Why the service cannot run here (missing programs), or null. */
  unavailable: string | null;
  /**
   * Starts the service. Each part started is handed to `onStop` at once, so it is stopped after the tests
   * even when another part then fails to start.
   */
  start: (onStop: (stop: () => Promise<unknown>) => void) => Promise<T>;
  /** Longest start-up. Default 300 s: Swift's Python servers are slow on a busy machine. */
  startTimeoutMs?: number;
}

/**
 * A describe block with a service started before its tests and stopped after them. Without the programs the
 * block fails in CI (a missing package must not pass as green) and is skipped, with the reason printed, on a
 * developer machine.
 */
export function describeWithService<T>(name: string, service: TestService<T>, body: (started: () => T) => void): void {
  const { unavailable } = service;
  if (unavailable && !inCi) {
    console.warn(`skipping '${name}': ${unavailable}`);
    describe.skip(name, () => {
      body(() => {
        throw new Error(unavailable);
      });
    });
    return;
  }
  describe(name, () => {
    let started: T | undefined;
    const stops: (() => Promise<unknown>)[] = [];
    beforeAll(async () => {
      if (unavailable) throw new Error(unavailable);
      started = await service.start((stop) => stops.push(stop));
    }, service.startTimeoutMs ?? 300_000);
    afterAll(async () => {
      await Promise.all(stops.splice(0).map((stop) => stop()));
    });
    body(() => {
      if (started === undefined) throw new Error(`the services of '${name}' did not start`);
      return started;
    });
  });
}
