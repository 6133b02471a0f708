import { PROFILES } from '@wavid/probe';
import { sendPreparedVideo, type Destination } from '@wavid/pipeline';
import { checkSendVideo, fetchLinkAnswer, getProvider, PROVIDER_NAMES, sendVideo, type SendResult, type SendVideoOptions } from '@wavid/publish/without-store';
import { parseCommandLine, type Command, type CommandIo } from '../cli/command.js';
import { EXIT_OK } from '../cli/exit-codes.js';
import { withUsageErrors } from '../cli/library-errors.js';
import { parseChoice } from '../cli/parse-size.js';
import { UsageError } from '../cli/usage-error.js';
import { publishProgressPrinter, STORE_HELP, STORE_OPTIONS, storeSettings } from './publish.js';
import { terminalText } from '../cli/terminal-text.js';

const FORMATS = ['text', 'json'] as const;

export const sendCommand: Command = {
  name: 'send',
  help: `Usage: wavid send --provider <name> --to <number> (--link <url> | --media-id <id> | --file <path>) [options]

Sends one video message. The number, caption and video are checked before any request.

Options:
  --provider <name>         ${PROVIDER_NAMES.join(' | ')}
  --to <number>             recipient in E.164, e.g. +4915112345678 ('+' optional)
  --link <url>              an http(s) link to the video, e.g. from 'wavid publish'
  --media-id <id>           a media id from the provider (meta, 360dialog, gupshup, kaleyra)
  --file <path>             a video file: uploaded to the provider's media endpoint first, or for
                            zixflow and zapi (links only) published to --bucket; checked like
                            'wavid check' first unless --force
  --caption <text>          at most 1024 characters
  --status                  zapi only: post to your WhatsApp status (at most 10 MB, no --to)
  --base-url <url>          replace the provider's host (regional domain, proxy)
  --force                   send a --file that does not comply
  --format <format>         text | json (default: text)
                              json  {"provider","messageId","status"}
  -h, --help                show this help

With --file for zixflow or zapi:
${STORE_HELP}

Credentials, from the environment (never printed):
  meta        WHATSAPP_TOKEN, WHATSAPP_PHONE_NUMBER_ID, WHATSAPP_API_VERSION (default v23.0)
  360dialog   D360_API_KEY
  gupshup     GUPSHUP_APP_ID, GUPSHUP_APP_TOKEN
  kaleyra     KALEYRA_SID, KALEYRA_API_KEY, KALEYRA_SENDER (business number),
              KALEYRA_REGION (in | sg | eu | na; not needed with --base-url)
  zixflow     ZIXFLOW_API_KEY, ZIXFLOW_PHONE_ID
  zapi        ZAPI_INSTANCE, ZAPI_TOKEN, ZAPI_CLIENT_TOKEN

Only requests that cannot have reached the provider (connection refused, DNS failure) and 429s
with Retry-After are retried; a timeout or a 5xx is not, as the message may already be sent.

Exit codes: 0 sent, 1 the provider or the store refused (or could not be reached), 2 usage error.
`,
  async run(args, io) {
    const { values } = parseCommandLine(args, {
      provider: { type: 'string' },
      to: { type: 'string' },
      link: { type: 'string' },
      'media-id': { type: 'string' },
      file: { type: 'string' },
      caption: { type: 'string' },
      status: { type: 'boolean' },
      'base-url': { type: 'string' },
      force: { type: 'boolean' },
      format: { type: 'string' },
      ...STORE_OPTIONS,
    });
    if (values.help) {
      io.stdout.write(this.help);
      return EXIT_OK;
    }
    if (values.provider === undefined) throw new UsageError(`send needs --provider (${PROVIDER_NAMES.join(', ')})`);
    const format = parseChoice(values.format ?? 'text', '--format', FORMATS);
    const sources = [values.link, values['media-id'], values.file].filter((value) => value !== undefined);
    if (sources.length !== 1) throw new UsageError('send needs exactly one of --link, --media-id or --file');
    const provider = await withUsageErrors(() => getProvider(values.provider ?? ''));
    if (values.status !== true && values.to === undefined) throw new UsageError('send needs --to, the recipient number');

    const common: SendVideoOptions = {
      provider: provider.name,
      to: values.to,
      caption: values.caption,
      status: values.status,
      baseUrl: values['base-url'],
      env: io.env,
      signal: io.signal,
    };
    let result: SendResult;
    if (values.file !== undefined) {
      result = await sendFile(values.file, common, { mediaIds: provider.mediaIds, force: values.force === true, values, io });
    } else {
      const media = values.link !== undefined && values.status === true ? { link: values.link, sizeBytes: await linkSize(values.link, common) } : { link: values.link, mediaId: values['media-id'] };
      result = await withUsageErrors(() => sendVideo({ ...common, ...media }));
    }
    if (format === 'json') io.stdout.write(`${JSON.stringify(result)}\n`);
    else io.stdout.write(`sent with ${result.provider}: message ${terminalText(result.messageId ?? '(no id given)')}, ${terminalText(result.status)}\n`);
    return EXIT_OK;
  },
};

type StoreValues = Partial<Record<keyof typeof STORE_OPTIONS, string>>;

/** Sends the file from where the provider can take it: its media endpoint, or the bucket for link-only providers. */
async function sendFile(
  path: string,
  common: SendVideoOptions,
  context: { mediaIds: boolean; force: boolean; values: StoreValues; io: CommandIo },
): Promise<SendResult> {
  const { env, signal, ...message } = common;
  // Everything about the message is checked before the bucket settings, so a typo does not cost one.
  await withUsageErrors(() => {
    checkSendVideo(common, context.mediaIds ? 'id' : 'link');
  });
  let destination: Destination;
  if (context.mediaIds) {
    destination = { kind: 'media-id', provider: common.provider, baseUrl: common.baseUrl };
  } else {
    if (context.values.bucket === undefined) throw new UsageError(`${common.provider} takes links only: --file needs --bucket to publish the video to`);
    const settings = storeSettings(context.values, context.values.bucket);
    // The store, and the AWS SDK with it, loads only for an upload.
    const { createStoreClient } = await import('@wavid/publish');
    const client = await withUsageErrors(() => createStoreClient({ endpoint: settings.endpoint, region: settings.region, env }));
    destination = { kind: 'link', ...settings, client };
  }
  const profile = common.status === true ? PROFILES['whatsapp-status'] : PROFILES.whatsapp;
  const progress = publishProgressPrinter(path, context.io);
  try {
    const video = await withUsageErrors(() => sendPreparedVideo({ path, destination, message, profile, force: context.force, env, signal, onProgress: progress }));
    // sendPreparedVideo answers with the provider's result whenever it is given a message.
    if (video.sent === null) throw new TypeError('no message was sent');
    return video.sent;
  } finally {
    if (context.io.interactive) context.io.stderr.write('\r\x1b[K');
    if (destination.kind === 'link') destination.client?.destroy();
  }
}

/** The size a status link serves, so the 10 MB status limit is checked before sending. */
async function linkSize(link: string, common: SendVideoOptions): Promise<number | undefined> {
  await withUsageErrors(() => {
    checkSendVideo(common, 'link');
  });
  const answer = await fetchLinkAnswer(link, { signal: common.signal, timeoutMs: 30_000 }).catch((error: unknown) => {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
    throw new LinkError(`cannot fetch ${link} to check its size: ${cause}`);
  });
  if (answer.status !== 200) throw new LinkError(`${link} answers HTTP ${answer.status}, not 200`);
  const size = Number(answer.contentLength);
  return answer.contentLength !== null && Number.isSafeInteger(size) ? size : undefined;
}

class LinkError extends Error {
  override readonly name = 'LinkError';
  readonly code = 'link-check-failed';
}
