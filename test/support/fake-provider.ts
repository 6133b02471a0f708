import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the fake provider received it. */
export interface ReceivedRequest {
  method: string;
  /** Path and query, exactly as sent. */
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Answer only after this long (a slow provider, or one past the client's timeout). */
  delayMs?: number;
}

export interface FakeProvider {
  /** `http://127.0.0.1:<port>`, for `baseUrl`. */
  url: string;
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

/** A provider on loopback that records each request and answers what `reply` returns for it. */
export async function startFakeProvider(reply: (request: ReceivedRequest, index: number) => Reply): Promise<FakeProvider> {
  const requests: ReceivedRequest[] = [];
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const request = { method: incoming.method ?? '', path: incoming.url ?? '', headers: incoming.headers, body: Buffer.concat(chunks) };
      requests.push(request);
      const answer = reply(request, requests.length - 1);
      const text = answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
      const send = () => {
        if (outgoing.destroyed) return;
        outgoing.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        outgoing.end(text);
      };
      if (answer.delayMs === undefined) send();
      else setTimeout(send, answer.delayMs);
    });
  });
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** The JSON body of a request. */
export function jsonBody(request: ReceivedRequest): unknown {
  return JSON.parse(request.body.toString('utf8')) as unknown;
}

/** The multipart form of a request, parsed by the platform's own parser. */
export async function formBody(request: ReceivedRequest): Promise<FormData> {
  // Deprecated for servers because it buffers the whole body; a test's few kilobytes are fine.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  return new Response(request.body, { headers: { 'content-type': String(request.headers['content-type']) } }).formData();
}

/** A file field of a form. */
export function fileField(form: FormData, name: string): File {
  const value = form.get(name);
  if (!(value instanceof File)) throw new Error(`form field ${name} is not a file`);
  return value;
}

/** A loopback port with nothing listening: connections to it are refused. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => {
    server.close(resolve);
  });
  return port;
}
