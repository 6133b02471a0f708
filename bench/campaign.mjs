// Benchmark of the campaign send loop against a provider on loopback that allows LIMIT messages a second
// (429 with Retry-After past it, counted): the sustained rate against the limit (target: at least 95% of it,
// never above), and the process's memory while sending to a long list (target: flat in the list's length).
// Run with `pnpm run bench:campaign`; RECIPIENTS (default 4000) and LIMIT (default 80) change the sizes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sendCampaign } from '@wavid/campaign';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const recipients = Number(process.env.RECIPIENTS ?? 4000);
const limit = Number(process.env.LIMIT ?? 80);

const times = [];
let refused = 0;
const server = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    if (request.url.endsWith('/media')) {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"media-1"}');
      return;
    }
    const now = performance.now();
    // Sliding one-second window, as a provider's throughput limit counts.
    while (times.length > 0 && times[0] <= now - 1000) times.shift();
    if (times.length >= limit) {
      refused++;
      response.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' }).end('{"error":{"code":130429,"message":"Rate limit hit"}}');
      return;
    }
    times.push(now);
    accepted.push(now);
    response.writeHead(200, { 'content-type': 'application/json' }).end(`{"messages":[{"id":"wamid.${accepted.length}"}]}`);
  });
});
const accepted = [];
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const dir = mkdtempSync(join(tmpdir(), 'wavid-bench-campaign-'));
const list = join(dir, 'list.csv');
writeFileSync(list, `phone\n${Array.from({ length: recipients }, (_, index) => `+49151${String(index).padStart(8, '0')}`).join('\n')}\n`);

const memory = [];
const sampler = setInterval(() => memory.push(process.memoryUsage().rss), 500);
const started = performance.now();
const result = await sendCampaign({
  name: 'bench',
  dir,
  video: join(root, 'samples', 'compliant.mp4'),
  recipients: list,
  provider: 'meta',
  message: { kind: 'template', template: 'bench', language: 'en' },
  env: { WHATSAPP_TOKEN: 't', WHATSAPP_PHONE_NUMBER_ID: '99' },
  baseUrl: `http://127.0.0.1:${server.address().port}`,
  ratePerSecond: limit,
});
clearInterval(sampler);
const seconds = (performance.now() - started) / 1000;
server.close();
rmSync(dir, { recursive: true, force: true });

// Sustained rate from the first accepted message to the last; the busiest second of the provider's window.
const span = (accepted.at(-1) - accepted[0]) / 1000;
const sustained = (accepted.length - 1) / span;
let busiest = 0;
for (let start = 0, end = 0; end < accepted.length; end++) {
  while (accepted[end] - accepted[start] >= 1000) start++;
  busiest = Math.max(busiest, end - start + 1);
}
const mb = (bytes) => (bytes / 1e6).toFixed(0);
const quarter = Math.max(1, Math.floor(memory.length / 4));
console.log(`${recipients} recipients, provider limit ${limit}/s: accepted ${result.counts.accepted}, refused with 429 ${refused}, ${seconds.toFixed(1)} s in all`);
console.log(`sustained ${sustained.toFixed(1)} msg/s = ${((100 * sustained) / limit).toFixed(1)}% of the limit; busiest second ${busiest}`);
console.log(`memory (RSS): first quarter ${mb(Math.max(...memory.slice(0, quarter)))} MB, last quarter ${mb(Math.max(...memory.slice(-quarter)))} MB`);
