import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseStatuses } from './parse-statuses.js';
import { checkSignature, verificationAnswer } from './signature.js';
import type { StatusSink } from './status-inbox.js';

export interface WebhookOptions {
  /** Meta's verify token (`WHATSAPP_VERIFY_TOKEN`), answered in the subscription check. */
  verifyToken: string;
  /** The app secret (`WHATSAPP_APP_SECRET`) that signs every POST. */
  appSecret: string;
  sink: StatusSink;
  /** Largest body accepted. Default 1 MB. */
  maxBodyBytes?: number | undefined;
  /** Told of each request's outcome, for a log line. Never given a number or a body. */
  onRequest?: ((event: WebhookEvent) => void) | undefined;
}

export interface WebhookEvent {
  outcome: 'verified' | 'refused-verification' | 'recorded' | 'bad-signature' | 'bad-request' | 'not-found' | 'error';
  statuses: number;
}

/**
 * A request handler for Meta's status webhook, for `http.createServer` or an application's own server (Express
 * and the like pass the same objects). GET answers the subscription check; POST checks `X-Hub-Signature-256`
 * against the raw body (401 and nothing recorded when it is missing or wrong), records the statuses in the sink,
 * and answers 200 only once they are stored, so Meta delivers again whatever was not.
 */
export function createWebhookHandler(options: WebhookOptions): (request: IncomingMessage, response: ServerResponse) => void {
  const maxBodyBytes = options.maxBodyBytes ?? 1_000_000;
  const finish = (response: ServerResponse, status: number, body: string, event: WebhookEvent) => {
    response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
    response.end(body);
    options.onRequest?.(event);
  };
  return (request, response) => {
    const url = new URL(request.url ?? '/', 'http://webhook.invalid');
    if (request.method === 'GET') {
      const challenge = verificationAnswer(url.searchParams, options.verifyToken);
      if (challenge === null) finish(response, 403, 'verification refused\n', { outcome: 'refused-verification', statuses: 0 });
      else finish(response, 200, challenge, { outcome: 'verified', statuses: 0 });
      return;
    }
    if (request.method !== 'POST') {
      finish(response, 404, 'not found\n', { outcome: 'not-found', statuses: 0 });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) tooLarge = true;
      else chunks.push(chunk);
    });
    request.on('end', () => {
      if (tooLarge) {
        finish(response, 413, 'body too large\n', { outcome: 'bad-request', statuses: 0 });
        return;
      }
      const raw = Buffer.concat(chunks);
      if (!checkSignature(raw, request.headers['x-hub-signature-256'] as string | undefined, options.appSecret)) {
        finish(response, 401, 'bad signature\n', { outcome: 'bad-signature', statuses: 0 });
        return;
      }
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        finish(response, 400, 'body is not JSON\n', { outcome: 'bad-request', statuses: 0 });
        return;
      }
      const updates = parseStatuses(body);
      options.sink.record(updates).then(
        () => {
          finish(response, 200, 'ok\n', { outcome: 'recorded', statuses: updates.length });
        },
        () => {
          finish(response, 500, 'could not store the statuses\n', { outcome: 'error', statuses: updates.length });
        },
      );
    });
  };
}
