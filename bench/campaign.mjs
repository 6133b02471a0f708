// Benchmark of the campaign send loop against a provider on loopback that allows LIMIT messages a second
// (429 with Retry-After past it, counted in a sliding one-second window, as a provider counts).
// Side by side in one run, each case in a process of its own:
// - rate: strict spacing (a burst of 1 and 16 requests in flight, what wavid did before) against the default
//   pacing (a token bucket with a small burst under a one-second window, more requests in flight). Target: at
//   least 95% of the limit, never above it (no 429, no second of the provider's window with more than LIMIT).
// - memory: peak RSS while sending to SMALL and to LARGE recipients. Target: flat, independent of list length.
// Run with `pnpm run bench:campaign`. RECIPIENTS (default 4000), LIMIT (default 80), LATENCY (the provider's
// answer time in ms, default 0), SMALL (default 10000) and LARGE (default 100000) change the sizes;
// PART=rate or PART=memory runs one part only.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(import.meta.url);
const root = join(dirname(here), '..');

async function main() {
  const recipients = Number(process.env.RECIPIENTS ?? 4000);
  const limit = Number(process.env.LIMIT ?? 80);
  const latencyMs = Number(process.env.LATENCY ?? 0);
  const small = Number(process.env.SMALL ?? 10_000);
  const large = Number(process.env.LARGE ?? 100_000);
  const part = process.env.PART ?? 'all';
  const inChild = (options) => JSON.parse(execFileSync(process.execPath, [here, '--case', JSON.stringify(options)], { encoding: 'utf8', maxBuffer: 1 << 20 }));

  if (part === 'all' || part === 'rate') {
    console.log(`rate: ${recipients} recipients, provider limit ${limit}/s, answers after ${latencyMs} ms`);
    const cases = [
      ['strict spacing (burst 1, 16 in flight)', { pacing: { burst: 1 }, concurrency: 16 }],
      ['token bucket and window (defaults)', {}],
    ];
    for (const [label, settings] of cases) {
      const stats = inChild({ recipients, limit, latencyMs, ...settings });
      console.log(
        `  ${label.padEnd(40)} sustained ${stats.sustained.toFixed(1)} msg/s = ${((100 * stats.sustained) / limit).toFixed(1)}% of the limit; ` +
          `busiest second ${stats.busiest}; refused with 429 ${stats.refused}; accepted ${stats.accepted} in ${stats.seconds.toFixed(1)} s`,
      );
    }
  }
  if (part === 'all' || part === 'memory') {
    // A provider fast enough for the list's length to dominate: the rate is the highest wavid takes.
    console.log(`memory: peak RSS while sending, provider limit 1000/s`);
    const sizes = [small, large].map((count) => ({ count, stats: inChild({ recipients: count, limit: 1000 }) }));
    for (const { count, stats } of sizes) {
      console.log(`  ${String(count).padStart(7)} recipients: peak RSS ${(stats.peakRssKb / 1024).toFixed(0)} MB; accepted ${stats.accepted} in ${stats.seconds.toFixed(1)} s`);
    }
    const [first, second] = sizes;
    console.log(`  ratio ${(second.stats.peakRssKb / first.stats.peakRssKb).toFixed(2)} for ${(second.count / first.count).toFixed(0)}x the recipients`);
  }
}

// The stand-in provider, on a thread of its own as a real one is on another machine: its clock of arrivals is
// not held up by the sender's work. It answers 'stats' with what it counted.
const PROVIDER = `
const { parentPort, workerData } = require('node:worker_threads');
const { createServer } = require('node:http');
const { limit, latencyMs } = workerData;
const times = [];
const accepted = [];
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
    const answer = (status, headers, body) => {
      const send = () => response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(body);
      if (latencyMs > 0) setTimeout(send, latencyMs);
      else send();
    };
    if (times.length >= limit) {
      refused++;
      answer(429, { 'retry-after': '1' }, '{"error":{"code":130429,"message":"Rate limit hit"}}');
      return;
    }
    times.push(now);
    accepted.push(now);
    answer(200, {}, '{"messages":[{"id":"wamid.' + accepted.length + '"}]}');
  });
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', () => {
  server.close();
  parentPort.postMessage({ accepted, refused });
});
`;

async function runCase({ recipients, limit, latencyMs = 0, pacing, concurrency }) {
  const { sendCampaign } = await import('@wavid/campaign');
  const { Worker } = await import('node:worker_threads');
  const { once } = await import('node:events');
  const provider = new Worker(PROVIDER, { eval: true, workerData: { limit, latencyMs } });
  const [{ port }] = await once(provider, 'message');
  const dir = mkdtempSync(join(tmpdir(), 'wavid-bench-campaign-'));
  const list = join(dir, 'list.csv');
  writeFileSync(list, `phone\n${Array.from({ length: recipients }, (_, index) => `+49151${String(index).padStart(8, '0')}`).join('\n')}\n`);

  const started = performance.now();
  const result = await sendCampaign({
    name: 'bench',
    dir,
    video: join(root, 'samples', 'compliant.mp4'),
    recipients: list,
    provider: 'meta',
    message: { kind: 'template', template: 'bench', language: 'en' },
    env: { WHATSAPP_TOKEN: 't', WHATSAPP_PHONE_NUMBER_ID: '99' },
    baseUrl: `http://127.0.0.1:${port}`,
    ratePerSecond: limit,
    ...(pacing ? { pacing } : {}),
    ...(concurrency ? { concurrency } : {}),
  });
  const seconds = (performance.now() - started) / 1000;
  provider.postMessage('stats');
  const [{ accepted, refused }] = await once(provider, 'message');
  await provider.terminate();
  rmSync(dir, { recursive: true, force: true });

  // Sustained rate from the first accepted message to the last; the busiest second of the provider's window.
  const span = (accepted.at(-1) - accepted[0]) / 1000;
  let busiest = 0;
  for (let start = 0, end = 0; end < accepted.length; end++) {
    while (accepted[end] - accepted[start] >= 1000) start++;
    busiest = Math.max(busiest, end - start + 1);
  }
  return { accepted: result.counts.accepted, refused, seconds, sustained: (accepted.length - 1) / span, busiest, peakRssKb: process.resourceUsage().maxRSS };
}

if (process.argv[2] === '--case') {
  console.log(JSON.stringify(await runCase(JSON.parse(process.argv[3]))));
} else {
  await main();
}
