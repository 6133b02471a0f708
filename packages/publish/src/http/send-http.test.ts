import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../errors.js';
import { sendVideo } from '../send-video.js';

const token = 'EAAGm0PX4ZCpsBAKZBqXa9ZCwZCPlkQZD3Yt8ZAHxGqVvLZBnq1Rj0yW';

/** Answers by path: an endless refusal, an oversized success, a refusal that quotes the token past 300 characters. */
function answer(path: string, response: ServerResponse): void {
  if (path.startsWith('/endless')) {
    response.writeHead(400, { 'content-type': 'text/plain' });
    const chunk = Buffer.alloc(64 * 1024, 'e');
    const more = () => {
      while (response.write(chunk)) if (response.destroyed) return;
      response.once('drain', more);
    };
    response.on('close', () => response.removeAllListeners('drain'));
    more();
    return;
  }
  if (path.startsWith('/huge')) {
    const body = Buffer.alloc(2 * 1024 * 1024, ' ');
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length) });
    response.end(body);
    return;
  }
  response.writeHead(401, { 'content-type': 'text/plain' });
  response.end(`${'x'.repeat(270)} Authorization: Bearer ${token} was refused`);
}

describe('sendHttp with hostile answers', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer((request, response) => {
      request.resume();
      request.on('end', () => { answer(request.url ?? '', response); });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const send = (path: string) =>
    sendVideo({ provider: 'meta', to: '+4915112345678', link: 'https://cdn.example.com/a.mp4', baseUrl: `${base}${path}`, env: { WHATSAPP_TOKEN: token, WHATSAPP_PHONE_NUMBER_ID: '1' }, retry: { attempts: 1 } }).then(
      () => null,
      (error: unknown) => error as ProviderError,
    );

  it('reads only the first KB of an error answer that never ends', async () => {
    const error = await send('/endless');
    expect(error).toBeInstanceOf(ProviderError);
    expect(error?.status).toBe(400);
    expect(error?.message.length).toBeLessThan(500);
  }, 10_000);

  it('refuses a success answer larger than any answer of the API, with a stable code', async () => {
    const error = await send('/huge');
    expect(error?.code).toBe('answer-too-large');
  });

  it('scrubs a token that straddles the 300-character cut of a refusal', async () => {
    const error = await send('/refuse');
    expect(error?.code).toBe('unauthorized');
    expect(error?.message).not.toContain(token.slice(0, 4));
    expect(error?.message).toContain('Bearer *');
  });
});
