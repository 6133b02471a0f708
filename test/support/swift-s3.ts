/**
 * A real S3-compatible server for tests: single-node OpenStack Swift with its s3api middleware, run as four
 * plain processes (proxy, object, container, account) on free loopback ports, with all state in a temporary
 * folder. Debian packages: swift-proxy swift-object swift-container swift-account.
 *
 * Swift is used rather than an in-process fake because it stores exactly the bytes it is sent: a server that
 * silently keeps aws-chunked framing as data would hide the upload bug these tests exist to catch.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingPrograms, stopChild } from './service-process.js';

export const SWIFT_APT_PACKAGES = ['swift-proxy', 'swift-object', 'swift-container', 'swift-account'] as const;

const SERVERS = ['object', 'container', 'account'] as const;
const BINARIES = ['swift-proxy-server', 'swift-object-server', 'swift-container-server', 'swift-account-server', 'swift-ring-builder'];

export interface SwiftS3Server {
  /** `http://127.0.0.1:<port>`: pass as the S3 endpoint, with path-style addressing. */
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  /** Stops the four processes and removes the data folder. */
  stop(): Promise<void>;
}

/** Why Swift cannot run here (a missing program), or null when it can. */
export async function swiftUnavailableReason(env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  const missing = await missingPrograms(BINARIES, env);
  if (missing.length === 0) return null;
  return `OpenStack Swift is not installed (${missing.join(', ')} not on PATH); install it with: apt-get install -y --no-install-recommends ${SWIFT_APT_PACKAGES.join(' ')}`;
}

export async function startSwiftS3(): Promise<SwiftS3Server> {
  const dir = await mkdtemp(join(tmpdir(), 'wavid-swift-'));
  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(children.map((child) => stopChild(child)));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const [proxyPort, ...backendPorts] = await freePorts(4);
    const ports = { proxy: proxyPort ?? 0, object: backendPorts[0] ?? 0, container: backendPorts[1] ?? 0, account: backendPorts[2] ?? 0 };
    const etc = join(dir, 'etc');
    await Promise.all([mkdir(etc), mkdir(join(dir, 'node', 'd1'), { recursive: true }), mkdir(join(dir, 'log'))]);
    await writeFile(join(etc, 'swift.conf'), swiftConf());
    await Promise.all(
      SERVERS.map(async (server) => {
        await writeFile(join(etc, `${server}-server.conf`), backendConf(server, ports[server], dir));
        await buildRing(etc, server, ports[server]);
      }),
    );
    await writeFile(join(etc, 'proxy-server.conf'), proxyConf(ports.proxy, dir));
    for (const server of [...SERVERS, 'proxy'] as const) {
      const log = await open(join(dir, 'log', `${server}.log`), 'a');
      children.push(spawn(`swift-${server}-server`, [join(etc, `${server}-server.conf`)], { stdio: ['ignore', log.fd, log.fd] }));
      await log.close();
    }
    const endpoint = `http://127.0.0.1:${ports.proxy}`;
    await waitUntilReady(
      [`${endpoint}/healthcheck`, ...SERVERS.map((server) => `http://127.0.0.1:${ports[server]}/healthcheck`)],
      children,
      dir,
    );
    return { endpoint, accessKeyId: 'test:tester', secretAccessKey: 'testing', region: 'us-east-1', stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function swiftConf(): string {
  return `[swift-hash]
swift_hash_path_suffix = wavid-test
swift_hash_path_prefix = wavid-test
[storage-policy:0]
name = Policy-0
default = yes
`;
}

function backendConf(server: string, port: number, dir: string): string {
  return `[DEFAULT]
bind_ip = 127.0.0.1
bind_port = ${port}
workers = 0
mount_check = false
disable_fallocate = true
devices = ${join(dir, 'node')}
swift_dir = ${join(dir, 'etc')}
log_level = WARNING
[pipeline:main]
pipeline = healthcheck ${server}-server
[filter:healthcheck]
use = egg:swift#healthcheck
[app:${server}-server]
use = egg:swift#${server}
`;
}

/**
 * tempauth refuses to work without a cache client in the request, so the `cache` filter stays in the pipeline.
 * No memcached daemon is needed: the client treats an unreachable server as a cache miss.
 */
function proxyConf(port: number, dir: string): string {
  return `[DEFAULT]
bind_ip = 127.0.0.1
bind_port = ${port}
workers = 0
swift_dir = ${join(dir, 'etc')}
log_level = WARNING
[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats s3api tempauth copy slo dlo proxy-logging proxy-server
[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true
[filter:catch_errors]
use = egg:swift#catch_errors
[filter:gatekeeper]
use = egg:swift#gatekeeper
[filter:healthcheck]
use = egg:swift#healthcheck
[filter:proxy-logging]
use = egg:swift#proxy_logging
[filter:cache]
use = egg:swift#memcache
[filter:listing_formats]
use = egg:swift#listing_formats
[filter:s3api]
use = egg:swift#s3api
location = us-east-1
[filter:tempauth]
use = egg:swift#tempauth
user_test_tester = testing .admin
[filter:copy]
use = egg:swift#copy
[filter:slo]
use = egg:swift#slo
[filter:dlo]
use = egg:swift#dlo
`;
}

async function buildRing(etc: string, server: string, port: number): Promise<void> {
  const builder = `${server}.builder`;
  // 2^6 partitions, 1 replica, parts may move after 1 hour: the smallest ring Swift accepts.
  await run('swift-ring-builder', [builder, 'create', '6', '1', '1'], etc);
  await run('swift-ring-builder', [builder, 'add', `r1z1-127.0.0.1:${port}/d1`, '100'], etc);
  await run('swift-ring-builder', [builder, 'rebalance'], etc);
}

function run(binary: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${binary} ${args.join(' ')} exited with ${code}: ${stderr.trim()}`));
    });
  });
}

async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        resolve(server);
      });
    })),
  );
  const ports = servers.map((server) => {
    const address = server.address();
    return typeof address === 'object' && address ? address.port : 0;
  });
  await Promise.all(
    servers.map(
      (server) =>
        new Promise((resolve) => {
          server.close(resolve);
        }),
    ),
  );
  return ports;
}

async function waitUntilReady(urls: string[], children: ChildProcess[], dir: string): Promise<void> {
  // Generous: Swift starts five Python servers, slow on a busy machine.
  const deadline = Date.now() + 100_000;
  while (Date.now() < deadline) {
    const exited = children.find((child) => child.exitCode !== null);
    if (exited) throw new Error(`a Swift server exited with ${exited.exitCode} during start-up:\n${await logs(dir)}`);
    const answers = await Promise.all(urls.map((url) => fetch(url).then((response) => response.ok, () => false)));
    if (answers.every(Boolean)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Swift did not answer within 100 s:\n${await logs(dir)}`);
}

async function logs(dir: string): Promise<string> {
  const texts = await Promise.all(
    [...SERVERS, 'proxy'].map(async (server) => `${server}: ${await readFile(join(dir, 'log', `${server}.log`), 'utf8').catch(() => '')}`),
  );
  return texts.join('\n');
}
