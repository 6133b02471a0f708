/**
 * A real Redis for the queue tests: Debian's redis-server on a free loopback port, with its data in a temporary
 * folder. Every write is appended and synced before it is answered, so a restart in the middle of a run keeps
 * every job, as a production Redis with persistence does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingPrograms, stopChild } from './service-process.js';

export const REDIS_APT_PACKAGES = ['redis-server'] as const;

export interface RedisTestServer {
  /** `redis://127.0.0.1:<port>/0` */
  url: string;
  port: number;
  /** Stops Redis (SIGTERM, it writes its data) and starts it again on the same port and data. */
  restart(options?: { downMs?: number }): Promise<void>;
  /** Freezes Redis (SIGSTOP): connections stay open, commands reach it, nothing is answered until `resume`. */
  pause(): void;
  /** Lets a paused Redis run again (SIGCONT): it answers what it was sent meanwhile. */
  resume(): void;
  /** Stops Redis and removes its data folder. */
  stop(): Promise<void>;
}

/** Why Redis cannot run here (a missing program), or null when it can. */
export async function redisUnavailableReason(env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  if ((await missingPrograms(['redis-server'], env)).length === 0) return null;
  return `Redis is not installed (redis-server not on PATH); install it with: apt-get install -y --no-install-recommends ${REDIS_APT_PACKAGES.join(' ')}`;
}

/** With a password, clients must send it (`redis://:<password>@...`); `url` then carries it. */
export async function startRedis(options: { password?: string } = {}): Promise<RedisTestServer> {
  const dir = await mkdtemp(join(tmpdir(), 'wavid-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined;
  const launch = async () => {
    child = spawn(
      'redis-server',
      [
        '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--logfile', join(dir, 'redis.log'),
        '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--maxmemory-policy', 'noeviction', '--daemonize', 'no',
        ...(options.password === undefined ? [] : ['--requirepass', options.password]),
      ],
      { stdio: 'ignore' },
    );
    await waitUntilReady(port, child, dir);
  };
  const stop = async () => {
    child?.kill('SIGCONT');
    if (child) await stopChild(child);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await launch();
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url: `redis://${options.password === undefined ? '' : `:${encodeURIComponent(options.password)}@`}127.0.0.1:${port}/0`,
    port,
    async restart(options = {}) {
      if (child) await stopChild(child);
      await new Promise((resolve) => setTimeout(resolve, options.downMs ?? 0));
      await launch();
    },
    pause() {
      child?.kill('SIGSTOP');
    },
    resume() {
      child?.kill('SIGCONT');
    },
    stop,
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

/** Redis answers PING with +PONG once it has loaded its data. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let answer = '';
    socket.setTimeout(1_000, () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', () => {
      resolve(false);
    });
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      answer += chunk.toString();
      if (answer.includes('\r\n')) {
        socket.end();
        // With a password Redis answers -NOAUTH: it is up all the same.
        resolve(answer.startsWith('+PONG') || answer.startsWith('-NOAUTH'));
      }
    });
  });
}

async function waitUntilReady(port: number, child: ChildProcess, dir: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode} during start-up:\n${await readFile(join(dir, 'redis.log'), 'utf8').catch(() => '')}`);
    if (await ping(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Redis did not answer within 20 s:\n${await readFile(join(dir, 'redis.log'), 'utf8').catch(() => '')}`);
}
