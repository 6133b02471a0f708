import { createServer } from 'node:http';
import {
  campaignPaths,
  CampaignError,
  createWebhookHandler,
  readCampaignReport,
  reportCsv,
  reportHtml,
  reportText,
  sendCampaign,
  statusInbox,
  withCampaign,
  type CampaignMessage,
  type CampaignProgress,
  type CampaignRunResult,
  type LedgerStore,
  type VideoDestination,
} from '@wavid/campaign';
import { getProvider, PROVIDER_NAMES } from '@wavid/publish/without-store';
import { parseCommandLine, type Command, type CommandIo } from '../cli/command.js';
import { EXIT_FAILED, EXIT_OK } from '../cli/exit-codes.js';
import { withUsageErrors } from '../cli/library-errors.js';
import { parseDuration } from '../cli/parse-duration.js';
import { parseChoice, parseCount } from '../cli/parse-size.js';
import { UsageError } from '../cli/usage-error.js';
import { STORE_HELP, STORE_OPTIONS, storeSettings } from './publish.js';

const HELP = `Usage: wavid campaign send <name> --video <file> --recipients <list.csv> --provider <name> [options]
       wavid campaign report <name> [--format text|json|csv|html] [--redis <url>]
       wavid campaign webhook --port <n>

One video to every number of a list, each sent at most once, with the outcome of every send.
<name> identifies the campaign: its files go in <dir>/<name>.campaign/ (the ledger and the prepared
video). Running the same 'send' again resumes it: only recipients not yet sent are sent.

send options:
  --video <file>            the video: checked, fixed when needed and uploaded once for all recipients
  --recipients <file>       CSV with a header row and a 'phone' column (E.164, e.g. +4915112345678)
  --provider <name>         ${PROVIDER_NAMES.join(' | ')}
  --template <name>         an approved template whose header is a VIDEO (meta, 360dialog, gupshup, kaleyra)
  --language <code>         the template's language, e.g. en or en_US (with --template)
  --param <column>          a CSV column filling the template body's next parameter; repeat in order
  --caption <text>          without --template: a plain video message with this caption (only reaches
                            people who wrote to you in the last 24 hours)
  --rate <n>                messages per second from the sending number (default 80)
  --concurrency <n>         requests waiting for an answer at once (default half the rate, at least 16)
  --timeout <duration>      longest wait for one answer, e.g. 30s (default); past it the outcome is unknown
  --resend-unknown          send again to recipients whose outcome is unknown; check first that they did
                            not get it (see 'report')
  --dry-run                 check every row and build every request, send nothing
  --base-url <url>          replace the provider's host (regional domain, proxy, a local stand-in)
  --dir <folder>            where campaigns are kept (default: the working folder)
  --redis <url>             keep the ledger in Redis (redis:// or rediss://, which must sync every
                            write: appendonly yes, appendfsync always) instead of a file, so any
                            machine can resume or report the campaign; give it to 'report' too
  --trust-redis-durability  send although Redis does not let wavid confirm that it keeps every claim
                            (settings it may not read, or replicas, which a failover can promote
                            without the last writes): only after you have made sure it does, since a
                            lost claim means a recipient messaged twice
  --format <format>         text | json (default: text)

For zixflow and zapi (links only), the video is published to a bucket:
${STORE_HELP}

webhook options:
  --port <n>                port to listen on (0: any free port, printed)
  --host <address>          address to listen on (default 127.0.0.1; put a TLS proxy in front)
  --dir <folder>            where the statuses are stored for the campaigns in it
  Needs WHATSAPP_VERIFY_TOKEN (answered in Meta's subscription check) and WHATSAPP_APP_SECRET (checks
  X-Hub-Signature-256; a request with a bad or missing signature gets 401 and changes nothing).

Numbers are never printed or stored: the ledger keeps a salted hash and a masked form (+49•••••••5678)
with the CSV line. Credentials come from the environment, as for 'wavid send'.

Exit codes: 0 done; 1 stopped (the provider refused the account, or kept failing) or some outcomes are
unknown; 2 usage error; 130 interrupted (requests already sent are recorded).
`;

export const campaignCommand: Command = {
  name: 'campaign',
  help: HELP,
  async run(args, io) {
    const [sub, ...rest] = args;
    if (sub === undefined || sub === '--help' || sub === '-h') {
      io.stdout.write(HELP);
      return sub === undefined ? 2 : EXIT_OK;
    }
    if (sub === 'send') return send(rest, io);
    if (sub === 'report') return report(rest, io);
    if (sub === 'webhook') return webhook(rest, io);
    throw new UsageError(`campaign takes send, report or webhook; got '${sub}'`);
  },
};

async function send(args: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandLine(args, {
    video: { type: 'string' },
    recipients: { type: 'string' },
    provider: { type: 'string' },
    template: { type: 'string' },
    language: { type: 'string' },
    param: { type: 'string', multiple: true },
    caption: { type: 'string' },
    rate: { type: 'string' },
    concurrency: { type: 'string' },
    timeout: { type: 'string' },
    'resend-unknown': { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    'base-url': { type: 'string' },
    dir: { type: 'string' },
    redis: { type: 'string' },
    'trust-redis-durability': { type: 'boolean' },
    format: { type: 'string' },
    ...STORE_OPTIONS,
  });
  if (values.help) {
    io.stdout.write(HELP);
    return EXIT_OK;
  }
  const name = onlyName(positionals, 'send');
  if (values.video === undefined) throw new UsageError('campaign send needs --video, the video file');
  if (values.recipients === undefined) throw new UsageError('campaign send needs --recipients, the CSV list');
  if (values.provider === undefined) throw new UsageError(`campaign send needs --provider (${PROVIDER_NAMES.join(', ')})`);
  const format = parseChoice(values.format ?? 'text', '--format', ['text', 'json'] as const);
  const provider = await withUsageErrors(() => getProvider(values.provider ?? ''));
  let message: CampaignMessage;
  if (values.template !== undefined) {
    if (values.caption !== undefined) throw new UsageError('--caption is for plain video messages; a template has its own text');
    if (values.language === undefined) throw new UsageError('--template needs --language, e.g. en_US');
    if (!provider.templateRequest) throw new UsageError(`${provider.name} sends plain video messages only, not templates; leave out --template and use --caption`);
    message = { kind: 'template', template: values.template, language: values.language, parameterColumns: values.param ?? [] };
  } else {
    if (values.language !== undefined || values.param !== undefined) throw new UsageError('--language and --param go with --template');
    message = { kind: 'video', caption: values.caption };
  }
  let destination: VideoDestination = { kind: 'media-id' };
  if (!provider.mediaIds) {
    if (values.bucket === undefined) throw new UsageError(`${provider.name} takes links only: --bucket is needed to publish the video to`);
    destination = { kind: 'link', ...storeSettings(values, values.bucket) };
  }
  if (values['trust-redis-durability'] && values.redis === undefined) throw new UsageError('--trust-redis-durability goes with --redis');
  const ledger = await ledgerStore(values.redis, { trustDurability: values['trust-redis-durability'] === true });
  const progress = progressPrinter(io);
  const result = await campaignErrors(() =>
    withUsageErrors(() =>
      sendCampaign({
        name,
        dir: values.dir,
        ledger,
        video: values.video ?? '',
        recipients: values.recipients ?? '',
        provider: provider.name,
        message,
        destination,
        env: io.env,
        baseUrl: values['base-url'],
        ratePerSecond: values.rate === undefined ? undefined : parseCount(values.rate, '--rate', 1, 1000),
        concurrency: values.concurrency === undefined ? undefined : parseCount(values.concurrency, '--concurrency', 1, 256),
        timeoutMs: values.timeout === undefined ? undefined : parseDuration(values.timeout, '--timeout') * 1000,
        resendUnknown: values['resend-unknown'],
        dryRun: values['dry-run'],
        signal: io.signal,
        onProgress: progress,
      }),
    ),
  );
  if (io.interactive) io.stderr.write('\r\x1b[K');
  if (format === 'json') io.stdout.write(`${JSON.stringify(result)}\n`);
  else io.stdout.write(summary(result));
  if (result.cancelled) return 130;
  if (result.dryRun) return EXIT_OK;
  return result.stopped !== null || result.counts.unknown > 0 ? EXIT_FAILED : EXIT_OK;
}

async function report(args: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandLine(args, { dir: { type: 'string' }, redis: { type: 'string' }, format: { type: 'string' } });
  if (values.help) {
    io.stdout.write(HELP);
    return EXIT_OK;
  }
  const name = onlyName(positionals, 'report');
  const format = parseChoice(values.format ?? 'text', '--format', ['text', 'json', 'csv', 'html'] as const);
  const campaign = { name, dir: values.dir, ledger: await ledgerStore(values.redis) };
  if (format === 'csv') {
    await campaignErrors(() =>
      withUsageErrors(() =>
        withCampaign(campaign, async (ledger) => {
          for await (const line of reportCsv(ledger.entries())) io.stdout.write(line);
        }),
      ),
    );
    return EXIT_OK;
  }
  const content = await campaignErrors(() => withUsageErrors(() => readCampaignReport(campaign)));
  if (format === 'html') io.stdout.write(reportHtml(name, content, new Date()));
  else io.stdout.write(format === 'json' ? `${JSON.stringify(content)}\n` : reportText(name, content));
  return EXIT_OK;
}

/** The ledger's place from `--redis`; the queue package (and its Redis client) loads only when it is given. */
async function ledgerStore(url: string | undefined, options: { trustDurability?: boolean } = {}): Promise<LedgerStore> {
  if (url === undefined) return { kind: 'file' };
  const { parseRedisUrl, QueueOptionError } = await import('@wavid/queue');
  try {
    return { kind: 'redis', redis: parseRedisUrl(url, '--redis'), durability: options.trustDurability ? 'vouched' : 'required' };
  } catch (error) {
    if (error instanceof QueueOptionError) throw new UsageError(error.message);
    throw error;
  }
}

async function webhook(args: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandLine(args, { port: { type: 'string' }, host: { type: 'string' }, dir: { type: 'string' } });
  if (values.help) {
    io.stdout.write(HELP);
    return EXIT_OK;
  }
  if (positionals.length > 0) throw new UsageError(`campaign webhook takes no name: it stores statuses for every campaign in --dir; got '${positionals.join(' ')}'`);
  if (values.port === undefined) throw new UsageError('campaign webhook needs --port');
  const port = parseCount(values.port, '--port', 0, 65535);
  const verifyToken = io.env.WHATSAPP_VERIFY_TOKEN?.trim();
  const appSecret = io.env.WHATSAPP_APP_SECRET?.trim();
  if (!verifyToken) throw new UsageError('campaign webhook needs WHATSAPP_VERIFY_TOKEN: set it in the environment');
  if (!appSecret) throw new UsageError('campaign webhook needs WHATSAPP_APP_SECRET: set it in the environment');
  const inbox = campaignPaths('x', values.dir).inbox;
  const server = createServer(
    createWebhookHandler({
      verifyToken,
      appSecret,
      sink: statusInbox(inbox),
      onRequest: (event) => io.stderr.write(`${new Date().toISOString()} ${event.outcome}${event.statuses > 0 ? ` (${event.statuses} statuses)` : ''}\n`),
    }),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, values.host ?? '127.0.0.1', resolve);
  });
  const address = server.address();
  const shown = typeof address === 'object' && address !== null ? `http://${address.address}:${address.port}` : String(address);
  io.stdout.write(`listening on ${shown}; statuses go to ${inbox}\n`);
  await new Promise<void>((resolve) => {
    if (io.signal.aborted) resolve();
    io.signal.addEventListener('abort', () => {
      resolve();
    });
  });
  await new Promise<void>((resolve) => server.close(() => {
    resolve();
  }));
  return EXIT_OK;
}

function onlyName(positionals: string[], sub: string): string {
  if (positionals.length !== 1 || positionals[0] === undefined) throw new UsageError(`campaign ${sub} needs one campaign name`);
  return positionals[0];
}

/** A campaign that cannot start because of its input is a usage error; one stopped by the provider is not. */
async function campaignErrors<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof CampaignError && (error.code === 'bad-recipients' || error.code === 'settings-changed')) throw new UsageError(error.message);
    throw error;
  }
}

function progressPrinter(io: CommandIo): ((event: CampaignProgress) => void) | undefined {
  if (!io.interactive) return undefined;
  let last = 0;
  return (event) => {
    const now = Date.now();
    if (now - last < 250 && event.remaining > 0 && event.pausedForMs === null) return;
    last = now;
    const c = event.counts;
    const pause = event.pausedForMs === null ? '' : `, throttled: waiting ${(event.pausedForMs / 1000).toFixed(1)} s`;
    io.stderr.write(`\r\x1b[K${event.requests} sent this run, ${event.remaining} to go (accepted ${c.accepted}, failed ${c.failed}, unknown ${c.unknown})${pause}`);
  };
}

function summary(result: CampaignRunResult): string {
  const lines: string[] = [];
  const c = result.counts;
  if (result.dryRun) {
    lines.push(`dry run of campaign ${result.name}: ${result.listed} recipients checked, nothing sent`);
    lines.push(`first request body (number masked): ${JSON.stringify(result.example)}`);
  } else {
    lines.push(`campaign ${result.name}: ${result.requests} sent in this run; accepted ${c.accepted}, failed ${c.failed}, unknown ${c.unknown}, not sent yet ${c.pending + c.sending}`);
  }
  if (result.duplicateCount > 0) lines.push(`  ${result.duplicateCount} rows repeat an earlier number and are sent once (lines ${result.duplicates.slice(0, 10).map((item) => item.line).join(', ')}${result.duplicateCount > 10 ? ', ...' : ''})`);
  if (result.interrupted > 0) lines.push(`  ${result.interrupted} were being sent when an earlier run stopped: their outcome is unknown`);
  if (result.requeued > 0) lines.push(`  ${result.requeued} unknown ones were sent again, as asked`);
  if (result.media) lines.push(`  video: media ${result.media.mediaId ?? result.media.link ?? ''}${result.media.reused ? ' (reused)' : ''}${result.media.expiresAt ? `, valid until ${result.media.expiresAt}` : ''}`);
  if (result.stopped) lines.push(`  stopped: ${result.stopped.message}`);
  if (c.unknown > 0) lines.push(`  ${c.unknown} unknown: see 'wavid campaign report ${result.name}', then decide on --resend-unknown`);
  return `${lines.join('\n')}\n`;
}
