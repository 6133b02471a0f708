import { constants } from 'node:fs';
import { access, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  checkSendVideo,
  getProvider,
  hashFile,
  InvalidOptionError,
  prepareTemplate,
  ProviderError,
  sendTemplate,
  sendVideo,
  type HttpRequest,
  type ProviderName,
  type SendResult,
} from '@wavid/publish/without-store';
import { recoveryOf } from '@wavid/foundation';
import { CampaignError } from '../errors.js';
import type { CampaignLedger, NewRecipient, SendState } from '../ledger/ledger.js';
import { campaignStarted, openCampaignLedger, type LedgerStore } from '../ledger/open-ledger.js';
import { openSqliteLedger } from '../ledger/sqlite-ledger.js';
import { classifyFailure } from '../pacing/classify-failure.js';
import { afterAnswer, afterThrottle, DEFAULT_PACING, defaultBurst, INITIAL_PACER, nextSendAt, pairRetryAt, recordAnswer, recordSend, type PacingPolicy } from '../pacing/pacer.js';
import { newRecipientSalt } from '../recipients/phone-privacy.js';
import { streamRecipients, type Recipient } from '../recipients/read-recipients.js';
import { foldInbox } from '../webhook/status-inbox.js';
import { campaignPaths, type CampaignPaths } from './campaign-paths.js';
import { expiresSoon, prepareCampaignVideo, type PreparedMedia, type VideoDestination } from './prepare-video.js';

/** What every recipient gets: a template with the video in its header, or a plain video message. */
export type CampaignMessage =
  | { kind: 'template'; template: string; language: string; /** CSV columns filling the body's parameters, in order. */ parameterColumns?: readonly string[] | undefined }
  | { kind: 'video'; caption?: string | undefined };

/** Options of `sendCampaign`. Every default is written here. */
export interface SendCampaignOptions {
  /** Identifies the campaign: the same name resumes it. */
  name: string;
  /** Folder the campaign's files go in (`<name>.campaign/`) and the webhook's inbox is read from. Default: the working folder. */
  dir?: string | undefined;
  /** Where the ledger lives. Default: a database file in the campaign's folder. */
  ledger?: LedgerStore | undefined;
  /** The video file. */
  video: string;
  /** The recipient list: CSV with a header row and a `phone` column. */
  recipients: string;
  provider: ProviderName;
  message: CampaignMessage;
  /** Default: the provider's media store; link-only providers (zixflow, zapi) need a bucket. */
  destination?: VideoDestination | undefined;
  credentials?: Readonly<Record<string, string | undefined>> | undefined;
  env?: Readonly<Record<string, string | undefined>> | undefined;
  baseUrl?: string | undefined;
  /** Messages per second from the sending number. Default 80. */
  ratePerSecond?: number | undefined;
  /** Requests waiting for an answer at once: enough to keep the rate while each waits for its answer. Default half the rate, at least 16 (the rate kept with answers taking up to half a second). */
  concurrency?: number | undefined;
  /** Longest wait for one answer; past it the recipient is unknown. Default 30 s. */
  timeoutMs?: number | undefined;
  /** Send again to recipients whose outcome is unknown: a person's decision, after checking. Default false. */
  resendUnknown?: boolean | undefined;
  /** Check everything and build every request, but send nothing. Default false. */
  dryRun?: boolean | undefined;
  /** Publish the video again when its media id expires within this. Default 1 day. */
  renewMarginMs?: number | undefined;
  /** Overrides of the pacing defaults (burst, throttle and pair-rate waits). The burst defaults to a tenth of the rate. */
  pacing?: Partial<Omit<PacingPolicy, 'ratePerSecond'>> | undefined;
  /** Stops claiming new recipients; requests already out are answered and recorded. */
  signal?: AbortSignal | undefined;
  onProgress?: ((event: CampaignProgress) => void) | undefined;
  /** Clock. Default `Date.now`. */
  now?: (() => number) | undefined;
}

/** After each answer: the ledger's counts and this run's numbers. */
export interface CampaignProgress {
  counts: Record<SendState, number>;
  /** Requests made in this run. */
  requests: number;
  /** Recipients left to send in this run. */
  remaining: number;
  /** Set while sending is paused after a throttle: milliseconds to wait. */
  pausedForMs: number | null;
}

/** Why a run stopped before sending to everyone. */
export interface CampaignStop {
  code: 'account-refused' | 'provider-failing';
  message: string;
  providerCode: string | null;
}

export interface CampaignRunResult {
  name: string;
  ledgerPath: string;
  /** Recipients in the list, and rows that repeated an earlier number (sent once): the first 100 by line, and how many. */
  listed: number;
  duplicates: { line: number; firstLine: number }[];
  duplicateCount: number;
  /** Recipients new to the ledger in this run. */
  added: number;
  /** Recipients found `sending` from a run that died: now `unknown`. */
  interrupted: number;
  /** Unknown recipients put back to pending by `resendUnknown`. */
  requeued: number;
  /** Statuses from the webhook inbox that changed an entry. */
  statusesApplied: number;
  media: { mediaId: string | null; link: string | null; expiresAt: string | null; reused: boolean; renewed: number } | null;
  requests: number;
  counts: Record<SendState, number>;
  stopped: CampaignStop | null;
  /** True when the signal stopped the run. */
  cancelled: boolean;
  /** For a dry run: the first recipient's request body, the number masked. */
  example: unknown;
  dryRun: boolean;
}

interface Settings {
  concurrency: number;
  timeoutMs: number;
  renewMarginMs: number;
  pacing: PacingPolicy;
  now: () => number;
}

function resolveSettings(options: SendCampaignOptions): Settings {
  const rate = options.ratePerSecond ?? DEFAULT_PACING.ratePerSecond;
  if (!Number.isFinite(rate) || rate <= 0 || rate > 1000) throw new InvalidOptionError('ratePerSecond', (name) => `${name('ratePerSecond')} must be more than 0 and at most 1000; got ${rate}`);
  const concurrency = options.concurrency ?? Math.min(256, Math.max(16, Math.ceil(rate / 2)));
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) throw new InvalidOptionError('concurrency', (name) => `${name('concurrency')} must be a whole number from 1 to 256; got ${concurrency}`);
  const burst = options.pacing?.burst;
  if (burst !== undefined && (!Number.isInteger(burst) || burst < 1)) throw new InvalidOptionError('pacing.burst', (name) => `${name('pacing.burst')} must be a whole number of at least 1; got ${burst}`);
  const timeoutMs = options.timeoutMs ?? 30_000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new InvalidOptionError('timeoutMs', (name) => `${name('timeoutMs')} must be a positive number; got ${timeoutMs}`);
  return {
    concurrency,
    timeoutMs,
    renewMarginMs: options.renewMarginMs ?? 86_400_000,
    pacing: { ...DEFAULT_PACING, burst: defaultBurst(rate), ...options.pacing, ratePerSecond: rate },
    now: options.now ?? Date.now,
  };
}

/** Unknown outcomes or refused connections in a row after which the provider is taken to be failing. */
const FAILING_IN_A_ROW = 5;

/**
 * Sends one video to every recipient of a list, each at most once, and records every outcome in the campaign's
 * ledger. Running it again with the same name resumes: only recipients still pending are sent. Recipients whose
 * outcome is unknown are left alone unless `resendUnknown`. Before anything is sent, the list, every message and
 * the credentials are checked (CampaignError `bad-recipients`, InvalidOptionError, MissingCredentialError), then
 * the video is prepared once. A refusal about the account stops the run at once (`stopped`).
 */
export async function sendCampaign(options: SendCampaignOptions): Promise<CampaignRunResult> {
  const settings = resolveSettings(options);
  const paths = campaignPaths(options.name, options.dir);
  const provider = getProvider(options.provider);
  if (options.message.kind === 'template' && !provider.templateRequest) {
    throw new InvalidOptionError('template', () => `${provider.name} sends plain video messages only, not templates; leave out the template to send the video with a caption`);
  }
  const destination = options.destination ?? { kind: 'media-id' };
  if (destination.kind === 'media-id' && !provider.mediaIds) {
    throw new InvalidOptionError('destination', () => `${provider.name} takes links only: give a bucket to publish the video to`);
  }
  // Credentials, number rules and caption, before a file is touched.
  checkSendVideo({ provider: provider.name, to: '+4915100000000', caption: options.message.kind === 'video' ? options.message.caption : undefined, credentials: options.credentials, env: options.env, baseUrl: options.baseUrl }, destination.kind === 'media-id' ? 'id' : 'link');
  await access(options.recipients, constants.R_OK).catch((error: unknown) => {
    throw new InvalidOptionError('recipients', () => `cannot read the recipient list ${options.recipients}: ${(error as Error).message}`);
  });
  const { sha256: videoSha256 } = await hashFile(options.video, { signal: options.signal }).catch((error: unknown) => {
    if (options.signal?.aborted) throw error;
    throw new InvalidOptionError('video', () => `cannot read the video ${options.video}: ${(error as Error).message}`);
  });

  const parameterColumns = options.message.kind === 'template' ? (options.message.parameterColumns ?? []) : [];
  const target = targetOf(options, destination);
  const identity = { provider: provider.name, target, message: options.message, videoSha256 };
  if (options.dryRun) return dryRunCampaign(options, paths, identity, parameterColumns);
  await mkdir(paths.folder, { recursive: true });
  const ledger = await openCampaignLedger({ paths, store: options.ledger ?? { kind: 'file' }, create: true, now: settings.now });
  try {
    await checkSettings(ledger, identity);
    let salt = await ledger.getSetting('salt');
    if (salt === null) {
      salt = newRecipientSalt();
      await ledger.setSetting('salt', salt);
    }
    const statusesApplied = (await foldInbox(ledger, paths.inbox)).applied;
    // Every row is checked before the first message; the list is read again, page by page, while sending.
    const list = await listCampaign(ledger, options, { salt, parameterColumns });
    const result: CampaignRunResult = { ...startResult(options, paths, list), statusesApplied, counts: await ledger.counts() };
    result.interrupted = await ledger.recoverInterrupted();
    if (options.resendUnknown) result.requeued = await ledger.requeueUnknown();
    const pendingAtStart = (await ledger.counts()).pending;
    const queue = new PendingRecipients(ledger, options, { salt, parameterColumns });
    if (await queue.hasAny()) {
      const context = {
        ledger,
        input: options.video,
        output: paths.video,
        provider: provider.name,
        target,
        destination,
        credentials: options.credentials,
        env: options.env,
        baseUrl: options.baseUrl,
        now: settings.now,
        renewMarginMs: settings.renewMarginMs,
        signal: options.signal,
      };
      const prepared = await prepareCampaignVideo(context, { inputSha256: videoSha256 });
      result.media = { ...prepared.media, reused: prepared.reused, renewed: 0 };
      const run = new CampaignRun(ledger, queue, pendingAtStart, options, settings, prepared.media, async () => {
        const renewed = await prepareCampaignVideo(context, { inputSha256: videoSha256 });
        if (result.media) Object.assign(result.media, renewed.media, { renewed: result.media.renewed + 1 });
        return renewed.media;
      });
      await run.run();
      result.requests = run.requests;
      result.stopped = run.stopped;
      result.cancelled = options.signal?.aborted === true;
    }
    result.counts = await ledger.counts();
    return result;
  } finally {
    await ledger.close();
  }
}

/** A run's result before anything is sent. */
function startResult(options: SendCampaignOptions, paths: { ledger: string }, list: CampaignListing): Omit<CampaignRunResult, 'counts'> {
  return {
    name: options.name,
    ledgerPath: paths.ledger,
    listed: list.listed,
    duplicates: list.duplicates,
    duplicateCount: list.duplicateCount,
    added: list.added,
    interrupted: 0,
    requeued: 0,
    statusesApplied: 0,
    media: null,
    requests: 0,
    stopped: null,
    cancelled: false,
    example: list.example,
    dryRun: options.dryRun === true,
  };
}

/** Rows listed in one ledger write: large enough to make writes cheap, small enough to keep memory flat. */
const LIST_BATCH = 500;
/** Repeated rows kept in the result, by line; the count has them all. */
const DUPLICATES_SHOWN = 100;

interface CampaignListing {
  listed: number;
  added: number;
  duplicates: { line: number; firstLine: number }[];
  duplicateCount: number;
  example: unknown;
}

/**
 * Reads the list as it streams in, checks each row and the message it makes, and lists it in the ledger in batches:
 * the ledger, not memory, tells repeated numbers apart. Throws CampaignError `bad-recipients` naming the line of
 * the first bad row; nothing has been sent by then.
 */
async function listCampaign(ledger: CampaignLedger, options: SendCampaignOptions, read: { salt: string; parameterColumns: readonly string[] }): Promise<CampaignListing> {
  const listing: CampaignListing = { listed: 0, added: 0, duplicates: [], duplicateCount: 0, example: null };
  await ledger.startList();
  let batch: NewRecipient[] = [];
  const flush = async () => {
    const done = await ledger.listRecipients(batch);
    batch = [];
    listing.added += done.added;
    listing.listed -= done.repeats.length;
    listing.duplicateCount += done.repeats.length;
    listing.duplicates.push(...done.repeats.slice(0, DUPLICATES_SHOWN - listing.duplicates.length));
  };
  for await (const recipient of streamRecipients(options.recipients, { ...read, signal: options.signal })) {
    const example = checkMessage(recipient, options, { example: listing.example === null });
    listing.example ??= example;
    listing.listed++;
    batch.push({ key: recipient.key, masked: recipient.masked, line: recipient.line });
    if (batch.length >= LIST_BATCH) await flush();
  }
  await flush();
  return listing;
}

/**
 * A dry run lists the rows in a scratch ledger of its own, removed afterwards, so it leaves nothing behind and the
 * real run may still change any setting. An existing campaign's settings are checked and its counts reported.
 */
async function dryRunCampaign(options: SendCampaignOptions, paths: CampaignPaths, identity: Record<string, unknown>, parameterColumns: readonly string[]): Promise<CampaignRunResult> {
  let salt = newRecipientSalt();
  let existing: { counts: Record<SendState, number>; statusesApplied: number } | null = null;
  const store = options.ledger ?? { kind: 'file' };
  if (await campaignStarted(paths, store)) {
    const ledger = await openCampaignLedger({ paths, store, create: false });
    try {
      await checkSettings(ledger, identity);
      salt = (await ledger.getSetting('salt')) ?? salt;
      existing = { statusesApplied: (await foldInbox(ledger, paths.inbox)).applied, counts: await ledger.counts() };
    } finally {
      await ledger.close();
    }
  }
  const scratch = await mkdtemp(join(tmpdir(), 'wavid-dry-run-'));
  try {
    const ledger = openSqliteLedger(join(scratch, 'ledger.db'));
    let list: CampaignListing;
    try {
      list = await listCampaign(ledger, options, { salt, parameterColumns });
    } finally {
      await ledger.close();
    }
    return {
      ...startResult(options, paths, { ...list, added: 0 }),
      statusesApplied: existing?.statusesApplied ?? 0,
      counts: existing?.counts ?? { pending: list.listed, sending: 0, accepted: 0, failed: 0, unknown: 0 },
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Pending recipients of pages of the ledger at a time. */
const PAGE = 500;

/**
 * This run's pending recipients, in list order, a page at a time: the ledger says who is pending (by line), and
 * the list, read again as it streams in, gives their numbers, which the ledger never holds.
 */
class PendingRecipients {
  private page: Recipient[] = [];
  private afterLine = 0;
  private done = false;
  private rows: AsyncGenerator<Recipient> | null = null;

  constructor(
    private readonly ledger: CampaignLedger,
    private readonly options: SendCampaignOptions,
    private readonly read: { salt: string; parameterColumns: readonly string[] },
  ) {}

  async hasAny(): Promise<boolean> {
    return (await this.ledger.pendingListed(0, 1)).length > 0;
  }

  async next(): Promise<Recipient | undefined> {
    if (this.page.length === 0 && !this.done) await this.fill();
    return this.page.shift();
  }

  async close(): Promise<void> {
    await this.rows?.return(undefined);
  }

  private async fill(): Promise<void> {
    const wanted = await this.ledger.pendingListed(this.afterLine, PAGE);
    const last = wanted.at(-1);
    if (!last) {
      this.done = true;
      return;
    }
    this.afterLine = last.line;
    this.rows ??= streamRecipients(this.options.recipients, { ...this.read, signal: this.options.signal });
    for (const { key, line } of wanted) {
      for (;;) {
        const row = await this.rows.next();
        if (row.done || row.value.line > line) throw new CampaignError('bad-recipients', `recipient list, line ${line}: the list changed while the campaign was being sent; run it again`, { line });
        if (row.value.line < line) continue;
        if (row.value.key !== key) throw new CampaignError('bad-recipients', `recipient list, line ${line}: the list changed while the campaign was being sent; run it again`, { line });
        this.page.push(row.value);
        break;
      }
    }
  }
}

/** One run of the send loop: paced claims and requests, every outcome written to the ledger. */
class CampaignRun {
  requests = 0;
  stopped: CampaignStop | null = null;
  private pacer = INITIAL_PACER;
  /** Recipients taken from the list so far. */
  private taken = 0;
  /** Released after a throttle or a refused connection: sent before the rest of the list. */
  private readonly again: Recipient[] = [];
  /** Refused for the pair rate: each with the time it may be tried again. */
  private readonly later: { recipient: Recipient; at: number; attempt: number }[] = [];
  private readonly pairAttempts = new Map<string, number>();
  /** A ledger write that failed: the run stops and throws it. */
  private failure: { error: unknown } | null = null;
  private readonly inFlight = new Set<Promise<void>>();
  private unknownInARow = 0;
  private notSentInARow = 0;

  constructor(
    private readonly ledger: CampaignLedger,
    private readonly queue: PendingRecipients,
    private readonly pendingAtStart: number,
    private readonly options: SendCampaignOptions,
    private readonly settings: Settings,
    private media: PreparedMedia,
    private readonly renew: () => Promise<PreparedMedia>,
  ) {}

  private get remaining(): number {
    return Math.max(0, this.pendingAtStart - this.taken) + this.again.length + this.later.length + this.inFlight.size;
  }

  async run(): Promise<void> {
    // Both change while this loop awaits, which the compiler's narrowing does not see.
    const cancelled = () => this.options.signal?.aborted === true;
    const stopped = () => this.stopped !== null || this.failure !== null;
    try {
      while (!stopped() && !cancelled()) {
        while (this.inFlight.size >= this.settings.concurrency) await Promise.race(this.inFlight);
        if (stopped()) break;
        // Asked again after each wait: an answer may free the window sooner, a throttle may pause it.
        const at = nextSendAt(this.pacer, this.settings.now(), this.settings.pacing);
        if (at > this.settings.now()) {
          // Never, while the window is full of requests without an answer: until the next one ends.
          if (at === Number.POSITIVE_INFINITY) await Promise.race(this.inFlight);
          else await this.wait(at - this.settings.now());
          continue;
        }
        const recipient = await this.takeNext();
        if (!recipient) {
          if (this.inFlight.size > 0) await Promise.race(this.inFlight);
          else if (this.later.length > 0) await this.wait(Math.min(...this.later.map((item) => item.at)) - this.settings.now());
          else break;
          continue;
        }
        if (expiresSoon(this.media, this.settings)) this.media = await this.renew();
        const sent = recordSend(this.pacer, this.settings.now(), this.settings.pacing);
        this.pacer = sent.state;
        const request: Promise<void> = this.claimAndSend(recipient, sent.seq)
          .catch((error: unknown) => {
            this.failure ??= { error };
          })
          .finally(() => this.inFlight.delete(request));
        this.inFlight.add(request);
      }
    } finally {
      await Promise.allSettled(this.inFlight);
      await this.queue.close();
    }
    if (this.failure !== null) throw this.failure.error;
  }

  /** The next recipient: one released after a throttle, one whose pair-rate wait is over, or the next on the list. */
  private async takeNext(): Promise<Recipient | undefined> {
    const again = this.again.shift();
    if (again) return again;
    const now = this.settings.now();
    const index = this.later.findIndex((item) => item.at <= now);
    if (index >= 0) return this.later.splice(index, 1)[0]?.recipient;
    const next = await this.queue.next();
    if (next) this.taken++;
    return next;
  }

  private async wait(ms: number): Promise<void> {
    if (ms <= 0) return;
    try {
      await sleep(ms, undefined, { signal: this.options.signal });
    } catch {
      // Cancelled: the loop sees the signal.
    }
  }

  /**
   * Claims the recipient (durably `sending`) just before its request, so after a crash only requests in flight are
   * unknown; claims made at the same moment share one sync to disk.
   */
  private async claimAndSend(recipient: Recipient, seq: number): Promise<void> {
    const claimed = (await this.ledger.claim([recipient.key])).length === 1;
    // Stopped or cancelled while the claim was synced: not sent, so back to pending. Its slot in the window is free.
    if (!claimed || this.stopped !== null || this.options.signal?.aborted) {
      this.pacer = recordAnswer(this.pacer, seq, this.settings.now());
      if (claimed) await this.ledger.release(recipient.key);
      return;
    }
    // A throttle answered meanwhile pauses this one too.
    if (this.pacer.pausedUntil > this.settings.now()) {
      this.pacer = recordAnswer(this.pacer, seq, this.settings.now());
      await this.ledger.release(recipient.key);
      this.again.push(recipient);
      return;
    }
    await this.sendOne(recipient, seq);
  }

  private async sendOne(recipient: Recipient, seq: number): Promise<void> {
    this.requests++;
    let result: SendResult;
    try {
      result = await this.send(recipient);
    } catch (error) {
      this.pacer = recordAnswer(this.pacer, seq, this.settings.now());
      await this.recordFailure(recipient, error);
      await this.progress();
      return;
    }
    this.pacer = recordAnswer(this.pacer, seq, this.settings.now());
    // A ledger that fails here stops the run and leaves the recipient `sending`, which the next run records as
    // unknown: the message went out, so it is never put back to be sent again.
    await this.ledger.markAccepted(recipient.key, result.messageId);
    this.pacer = afterAnswer(this.pacer);
    this.unknownInARow = 0;
    this.notSentInARow = 0;
    await this.progress();
  }

  private send(recipient: Recipient): Promise<SendResult> {
    const { options } = this;
    const common = {
      provider: options.provider,
      credentials: options.credentials,
      env: options.env,
      baseUrl: options.baseUrl,
      timeoutMs: this.settings.timeoutMs,
      // Throttles are paced here, for every request at once, not retried inside one request.
      retry: { attempts: 1 },
      ...(this.media.mediaId === null ? { link: this.media.link ?? undefined } : { mediaId: this.media.mediaId }),
    };
    if (options.message.kind === 'template') {
      return sendTemplate({ ...common, to: recipient.digits, template: options.message.template, language: options.message.language, bodyParameters: recipient.parameters });
    }
    return sendVideo({ ...common, to: `+${recipient.digits}`, caption: options.message.caption });
  }

  private async recordFailure(recipient: Recipient, error: unknown): Promise<void> {
    const { ledger } = this;
    if (!(error instanceof ProviderError)) {
      const message = scrub(error instanceof Error ? error.message : String(error), recipient);
      // Refused as invalid before any request (the library's `give-up`): this recipient's message is wrong.
      if (error instanceof InvalidOptionError || recoveryOf(error) === 'give-up') {
        await ledger.markFailed(recipient.key, 'invalid', message);
        return;
      }
      // Something failed around the request: whether it went out cannot be known.
      await ledger.markUnknown(recipient.key, 'error', message);
      return;
    }
    const detail = scrub(error.message, recipient);
    switch (classifyFailure(error)) {
      case 'throttled': {
        await ledger.release(recipient.key);
        this.requests--;
        this.again.push(recipient);
        const throttle = afterThrottle(this.pacer, this.settings.now(), error.retryAfterMs, this.settings.pacing);
        this.pacer = throttle.state;
        this.options.onProgress?.({ counts: await ledger.counts(), requests: this.requests, remaining: this.remaining, pausedForMs: throttle.delayMs });
        return;
      }
      case 'pair-limited': {
        const attempt = (this.pairAttempts.get(recipient.key) ?? 0) + 1;
        this.pairAttempts.set(recipient.key, attempt);
        const at = pairRetryAt(attempt, this.settings.now(), this.settings.pacing);
        if (at === null) await ledger.markFailed(recipient.key, error.providerCode ?? '131056', detail);
        else {
          await ledger.release(recipient.key);
          this.later.push({ recipient, at, attempt });
        }
        return;
      }
      case 'account':
        await ledger.release(recipient.key);
        this.stopped ??= { code: 'account-refused', message: detail, providerCode: error.providerCode };
        return;
      case 'not-sent':
        await ledger.release(recipient.key);
        this.again.push(recipient);
        if (++this.notSentInARow >= FAILING_IN_A_ROW) this.stopped ??= { code: 'provider-failing', message: detail, providerCode: error.providerCode };
        else this.pacer = afterThrottle(this.pacer, this.settings.now(), null, this.settings.pacing).state;
        return;
      case 'unknown':
        await ledger.markUnknown(recipient.key, error.providerCode ?? error.code, detail);
        if (++this.unknownInARow >= FAILING_IN_A_ROW) this.stopped ??= { code: 'provider-failing', message: detail, providerCode: error.providerCode };
        return;
      case 'recipient':
        await ledger.markFailed(recipient.key, error.providerCode ?? error.code, detail);
        this.unknownInARow = 0;
        return;
    }
  }

  private async progress(): Promise<void> {
    if (!this.options.onProgress) return;
    this.options.onProgress({ counts: await this.ledger.counts(), requests: this.requests, remaining: this.remaining, pausedForMs: null });
  }
}

/** A provider's message with the recipient's number, or any other long digit run, masked. */
function scrub(message: string, recipient: Recipient): string {
  return message.split(recipient.digits).join(recipient.masked).replace(/\+?\d{8,15}/g, '•••');
}

/** Builds and checks one recipient's message without sending; returns its body, the number masked, as an example if wanted. */
function checkMessage(recipient: Recipient, options: SendCampaignOptions, wanted: { example: boolean }): unknown {
  const provider = getProvider(options.provider);
  const placeholder = { mediaId: 'MEDIA_ID' };
  try {
    if (options.message.kind === 'template') {
      const message = prepareTemplate({ provider: provider.name, to: recipient.digits, template: options.message.template, language: options.message.language, bodyParameters: recipient.parameters, ...(provider.mediaIds ? placeholder : { link: 'https://video.invalid/campaign.mp4' }) });
      return provider.templateRequest ? bodyOf(provider.templateRequest({ ...message, to: recipient.masked.replace(/^\+/, '') }, exampleContext(provider.credentials))) : null;
    }
    // A plain video message holds nothing of the row but the number, which is checked already.
    if (!wanted.example) return null;
    return bodyOf(provider.sendRequest(
      { to: recipient.masked.replace(/^\+/, ''), media: provider.mediaIds ? { kind: 'id', id: 'MEDIA_ID' } : { kind: 'link', link: 'https://video.invalid/campaign.mp4' }, caption: options.message.caption ?? null },
      exampleContext(provider.credentials),
    ));
  } catch (error) {
    if (error instanceof InvalidOptionError) throw new CampaignError('bad-recipients', `recipient list, line ${recipient.line}: ${error.message}`, { line: recipient.line });
    throw error;
  }
}

function bodyOf(request: HttpRequest): unknown {
  return request.body.kind === 'json' ? request.body.value : null;
}

/** Stand-in credentials for showing a request body; the body never carries credentials. */
function exampleContext(credentials: Record<string, unknown>) {
  return { baseUrl: 'https://provider.invalid', credentials: Object.fromEntries(Object.keys(credentials).map((key) => [key, key === 'sender' ? '10000000000' : 'x'])) };
}

/** The provider account or bucket the video is published to, without secrets: a change publishes it again. */
function targetOf(options: SendCampaignOptions, destination: VideoDestination): string {
  if (destination.kind === 'link') return `bucket:${destination.endpoint ?? ''}/${destination.bucket}/${destination.prefix ?? ''}`;
  const provider = getProvider(options.provider);
  const account = Object.entries(provider.credentials)
    .filter(([, spec]) => !spec.secret)
    .map(([key, spec]) => `${key}=${options.credentials?.[key] ?? options.env?.[spec.env] ?? ''}`)
    .join('&');
  return `${provider.name}:${options.baseUrl ?? 'default'}?${account}`;
}

/**
 * The campaign's identity is its provider, account, message and video. Resuming with another would send a
 * different campaign under this one's record, so it is refused, naming what changed.
 */
async function checkSettings(ledger: CampaignLedger, identity: Record<string, unknown>): Promise<void> {
  const stored = await ledger.getSetting('identity');
  if (stored === null) {
    await ledger.setSetting('identity', JSON.stringify(identity));
    return;
  }
  const before = JSON.parse(stored) as Record<string, unknown>;
  const changed = Object.keys(identity).filter((key) => JSON.stringify(before[key]) !== JSON.stringify(identity[key]));
  if (changed.length > 0) {
    throw new CampaignError('settings-changed', `this campaign was started with another ${changed.join(', ')}; resume it with the same settings, or give the new campaign its own name`);
  }
}
