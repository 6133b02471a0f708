/**
 * A TCP proxy on loopback in front of a test Redis that can lose an answer: the chosen command reaches Redis and
 * runs, then the connection is cut before its answer is passed back, as a network drop does. The client
 * reconnects through the proxy and, as ioredis does by default, sends unanswered commands again.
 */
import { createConnection, createServer, type Socket } from 'node:net';

export interface AnswerDroppingProxy {
  /** `redis://127.0.0.1:<port>/0`, through the proxy. */
  url: string;
  /** The next command whose bytes contain `marker` runs on Redis, but its connection is cut before the answer. */
  dropAnswerTo(marker: string): void;
  /** Answers dropped so far. */
  readonly drops: number;
  close(): Promise<void>;
}

export async function startAnswerDroppingProxy(redisPort: number): Promise<AnswerDroppingProxy> {
  let marker: string | null = null;
  let drops = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = createConnection({ host: '127.0.0.1', port: redisPort });
    let cutAtAnswer = false;
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (chunk) => {
      if (marker !== null && chunk.includes(marker)) {
        marker = null;
        cutAtAnswer = true;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (cutAtAnswer) {
        drops++;
        client.destroy();
        upstream.destroy();
        return;
      }
      client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `redis://127.0.0.1:${port}/0`,
    dropAnswerTo(text) {
      marker = text;
    },
    get drops() {
      return drops;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => { resolve(); }));
    },
  };
}
