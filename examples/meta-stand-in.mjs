#!/usr/bin/env node
// A local stand-in for Meta's WhatsApp Cloud API, to try a campaign end to end without an account: it takes
// media uploads and messages in the documented shapes, answers like Meta, counts requests per recipient, and
// (with --webhook) posts signed delivery statuses the way Meta does: batched, each batch delivered twice, some
// out of order. Numbers ending in 13 fail later (131026), numbers ending in 7 are delivered but never read.
//
//   node examples/meta-stand-in.mjs --port 8090 [--webhook http://127.0.0.1:8091/] [--delay 50]
//   GET /stand-in/counts   {"requests":N,"recipients":N,"mostToOneRecipient":N}
//
// Needs WHATSAPP_APP_SECRET in the environment to sign statuses (the same secret `wavid campaign webhook` checks).
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { port: { type: 'string', default: '8090' }, webhook: { type: 'string' }, delay: { type: 'string', default: '50' } } });
const appSecret = process.env.WHATSAPP_APP_SECRET ?? '';
if (values.webhook && !appSecret) {
  process.stderr.write('meta-stand-in: --webhook needs WHATSAPP_APP_SECRET to sign the statuses\n');
  process.exit(2);
}
const delayMs = Number(values.delay);
const perRecipient = new Map();
let messages = 0;
let media = 0;
let queued = [];

function answer(response, status, body) {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

function refuse(response, details) {
  answer(response, 400, { error: { message: '(#100) Invalid parameter', type: 'OAuthException', code: 100, error_data: { details } } });
}

/** What Meta would refuse in a message body, or null. */
function problemWith(body) {
  if (body?.messaging_product !== 'whatsapp') return 'messaging_product must be whatsapp';
  if (typeof body.to !== 'string' || !/^\+?\d{8,15}$/.test(body.to)) return 'to must be a phone number';
  if (body.type === 'video') return body.video?.id || body.video?.link ? null : 'video needs an id or a link';
  if (body.type !== 'template') return `type ${String(body.type)} is not taken here`;
  const { template } = body;
  if (typeof template?.name !== 'string' || typeof template.language?.code !== 'string') return 'template needs a name and language.code';
  const header = (template.components ?? []).find((component) => component.type === 'header');
  const video = header?.parameters?.[0]?.video;
  return video?.id || video?.link ? null : 'the template header needs a video parameter with an id or a link';
}

function statusesFor(id, to) {
  const at = Math.floor(Date.now() / 1000);
  const status = (value, offset, errors) => ({ id, status: value, timestamp: String(at + offset), recipient_id: to.replace(/^\+/, ''), ...(errors ? { errors } : {}) });
  if (to.endsWith('13')) return [status('sent', 0), status('failed', 9, [{ code: 131026, title: 'Message undeliverable', error_data: { details: 'The recipient cannot receive this message' } }])];
  if (to.endsWith('7')) return [status('sent', 0), status('delivered', 2)];
  // Read arrives before delivered for some: a status never moves a record backwards.
  return messages % 5 === 0 ? [status('sent', 0), status('read', 5), status('delivered', 2)] : [status('sent', 0), status('delivered', 2), status('read', 5)];
}

async function postStatuses() {
  if (!values.webhook || queued.length === 0) return;
  const statuses = queued.splice(0, 200);
  const body = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: 'stand-in-waba', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550000000', phone_number_id: 'stand-in' }, statuses } }] }],
  });
  const signature = `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
  // Meta delivers at least once: each batch goes out twice.
  for (let copy = 0; copy < 2; copy++) {
    try {
      const reply = await fetch(values.webhook, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature }, body });
      if (!reply.ok) process.stderr.write(`meta-stand-in: the webhook answered ${reply.status}\n`);
    } catch (error) {
      process.stderr.write(`meta-stand-in: cannot reach the webhook: ${error.message}\n`);
      return;
    }
  }
}

setInterval(() => void postStatuses(), 300).unref();

const server = createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    const path = new URL(request.url ?? '/', 'http://stand-in').pathname;
    if (request.method === 'GET' && path === '/stand-in/counts') {
      answer(response, 200, { requests: messages, recipients: perRecipient.size, mostToOneRecipient: Math.max(0, ...perRecipient.values()) });
      return;
    }
    if (request.method !== 'POST' || !/^\/v\d+\.\d+\/[^/]+\/(messages|media)$/.test(path)) {
      answer(response, 404, { error: { message: `Unknown path ${path}`, code: 100 } });
      return;
    }
    if (!/^Bearer \S+/.test(request.headers.authorization ?? '')) {
      answer(response, 401, { error: { message: 'Invalid OAuth access token', type: 'OAuthException', code: 190 } });
      return;
    }
    if (path.endsWith('/media')) {
      if (!String(request.headers['content-type']).startsWith('multipart/form-data')) return refuse(response, 'media must be multipart/form-data');
      answer(response, 200, { id: `stand-in-media-${++media}` });
      return;
    }
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return refuse(response, 'the body is not JSON');
    }
    const problem = problemWith(body);
    if (problem) return refuse(response, problem);
    messages++;
    perRecipient.set(body.to, (perRecipient.get(body.to) ?? 0) + 1);
    const id = `wamid.standin${messages}`;
    queued.push(...statusesFor(id, body.to));
    setTimeout(() => {
      answer(response, 200, { messaging_product: 'whatsapp', contacts: [{ input: body.to, wa_id: body.to.replace(/^\+/, '') }], messages: [{ id }] });
    }, delayMs);
  });
});

server.listen(Number(values.port), '127.0.0.1', () => {
  const { port } = server.address();
  process.stdout.write(`meta-stand-in: listening on http://127.0.0.1:${port}\n`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    void postStatuses().finally(() => process.exit(0));
  });
}
