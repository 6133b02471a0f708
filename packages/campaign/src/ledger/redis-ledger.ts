import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { CampaignError } from '../errors.js';
import type { CampaignLedger, DeliveryStatus, LedgerEntry, ListedBatch, NewRecipient, SendState, StatusEffect, StatusUpdate } from './ledger.js';
import { SEND_STATES } from './ledger.js';
import { mergeDelivery } from './transitions.js';

export interface RedisLedgerOptions {
  /** An open connection; the ledger closes it on `close()`. */
  redis: Redis;
  /** The campaign's name: its keys are `wavid:campaign:{<name>}:...`, one hash slot per campaign. */
  campaign: string;
  /** How long the campaign's lock outlives a process that stops renewing it. Default 30 s. */
  lockTtlMs?: number | undefined;
  /** Clock for `updatedAt`. Default `Date.now`. */
  now?: (() => number) | undefined;
  /**
   * Whether a claim must be confirmed durable. `required` (default): the server must show that it syncs every write
   * before answering and that no replica could take over without it. `vouched`: a person vouches for a server that
   * does not let this be checked (settings hidden, replicas); one that says it does not sync is refused all the
   * same. `not-needed`: this process sends nothing (a report, a dry run).
   */
  durability?: LedgerDurability | undefined;
}

/** How far a Redis ledger checks that an acknowledged claim survives the server's restart or failover. */
export type LedgerDurability = 'required' | 'vouched' | 'not-needed';

const DEFAULT_LOCK_TTL_MS = 30_000;
const PAGE = 1000;
/** Listed recipients one `pendingListed` script looks at: a script blocks the server (shared with the queue) while it runs. */
const LISTED_SCAN = 1000;
const LOCK_LOST = 'WAVID_LOCK_LOST';
const NOT_SENDING = 'WAVID_NOT_SENDING';

/** Fails a script when this process no longer holds the campaign: every write that decides a send is fenced by it. */
const FENCE = `if redis.call('GET', KEYS[1]) ~= ARGV[1] then return redis.error_reply('${LOCK_LOST}') end`;

const SCRIPTS = {
  // KEYS: lock, pending, lines. ARGV: token, now, recipient prefix, then key, masked, line per recipient.
  addRecipients: `${FENCE}
local added = 0
for i = 4, #ARGV, 3 do
  local entry = ARGV[3] .. ARGV[i]
  if redis.call('EXISTS', entry) == 0 then
    redis.call('HSET', entry, 'key', ARGV[i], 'masked', ARGV[i + 1], 'line', ARGV[i + 2], 'state', 'pending', 'attempts', 0, 'updated_at', ARGV[2])
    redis.call('ZADD', KEYS[3], ARGV[i + 2], ARGV[i])
    redis.call('SADD', KEYS[2], ARGV[i])
    added = added + 1
  end
end
return added`,
  // KEYS: lock, listed. ARGV: token, now, recipient prefix.
  startList: `${FENCE}
redis.call('DEL', KEYS[2])
return 1`,
  // KEYS: lock, pending, lines, listed. ARGV: token, now, recipient prefix, then key, masked, line per row.
  // Returns the number added, then line and first line of each repeat. A row found listed at its own line was
  // listed by this very batch, sent again after a reconnect: not a repeat.
  listRecipients: `${FENCE}
local result = { 0 }
for i = 4, #ARGV, 3 do
  local first = redis.call('ZSCORE', KEYS[4], ARGV[i])
  if not first then
    redis.call('ZADD', KEYS[4], ARGV[i + 2], ARGV[i])
    local entry = ARGV[3] .. ARGV[i]
    if redis.call('EXISTS', entry) == 0 then
      redis.call('HSET', entry, 'key', ARGV[i], 'masked', ARGV[i + 1], 'line', ARGV[i + 2], 'state', 'pending', 'attempts', 0, 'updated_at', ARGV[2])
      redis.call('ZADD', KEYS[3], ARGV[i + 2], ARGV[i])
      redis.call('SADD', KEYS[2], ARGV[i])
      result[1] = result[1] + 1
    end
  elseif tonumber(first) ~= tonumber(ARGV[i + 2]) then
    result[#result + 1] = ARGV[i + 2]
    result[#result + 1] = first
  end
end
return result`,
  // KEYS: listed, pending. ARGV: after line, limit, most listed recipients to look at. Pending recipients of this
  // run's list after a line, by line. Returns the last line looked at ('' when the list ended), then key and line
  // of each found.
  pendingListed: `local limit = 2 * tonumber(ARGV[2])
local page = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[1], '+inf', 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[3]))
local result = { '' }
for i = 1, #page, 2 do
  if redis.call('SISMEMBER', KEYS[2], page[i]) == 1 then
    result[#result + 1] = page[i]
    result[#result + 1] = page[i + 1]
  end
  result[1] = page[i + 1]
  if #result - 1 == limit then return result end
end
if #page < 2 * tonumber(ARGV[3]) then result[1] = '' end
return result`,
  // KEYS: lock, pending, sending. ARGV: token, now, recipient prefix, claim id, keys... Each claimed recipient keeps
  // the claim's id, so the same claim sent again (the client resends what a dropped connection left unanswered)
  // returns what it claimed the first time.
  claim: `${FENCE}
local claimed = {}
for i = 5, #ARGV do
  local entry = ARGV[3] .. ARGV[i]
  if redis.call('SMOVE', KEYS[2], KEYS[3], ARGV[i]) == 1 then
    redis.call('HSET', entry, 'state', 'sending', 'claim', ARGV[4], 'updated_at', ARGV[2])
    redis.call('HINCRBY', entry, 'attempts', 1)
    claimed[#claimed + 1] = ARGV[i]
  elseif redis.call('HGET', entry, 'claim') == ARGV[4] and redis.call('SISMEMBER', KEYS[3], ARGV[i]) == 1 then
    claimed[#claimed + 1] = ARGV[i]
  end
end
return claimed`,
  // KEYS: lock, sending, target state's set, messages. ARGV: token, now, recipient prefix, key, state, message id,
  // error code, error detail, attempts change, move id. Only a recipient being sent can get an outcome; the same
  // move sent again finds its id and target state recorded and succeeds, before the lock is asked: it changes nothing.
  move: `local entry = ARGV[3] .. ARGV[4]
if redis.call('HGET', entry, 'move') == ARGV[10] and redis.call('SISMEMBER', KEYS[3], ARGV[4]) == 1 then return 1 end
${FENCE}
if redis.call('SMOVE', KEYS[2], KEYS[3], ARGV[4]) == 0 then return redis.error_reply('${NOT_SENDING}') end
redis.call('HSET', entry, 'state', ARGV[5], 'error_code', ARGV[7], 'error_detail', ARGV[8], 'move', ARGV[10], 'updated_at', ARGV[2])
redis.call('HINCRBY', entry, 'attempts', ARGV[9])
if ARGV[6] ~= '' then
  redis.call('HSET', entry, 'message_id', ARGV[6])
  redis.call('HSET', KEYS[4], ARGV[6], ARGV[4])
end
return 1`,
  // KEYS: lock, from set, to set. ARGV: token, now, recipient prefix, state, error code, error detail.
  moveAll: `${FENCE}
local keys = redis.call('SMEMBERS', KEYS[2])
for _, key in ipairs(keys) do
  redis.call('SMOVE', KEYS[2], KEYS[3], key)
  redis.call('HSET', ARGV[3] .. key, 'state', ARGV[4], 'updated_at', ARGV[2])
  if ARGV[5] ~= '' then redis.call('HSET', ARGV[3] .. key, 'error_code', ARGV[5], 'error_detail', ARGV[6]) end
end
return #keys`,
  // KEYS: lock. ARGV: token, time to live.
  renew: `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`,
  // KEYS: lock. ARGV: token.
  unlock: `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`,
} as const;

/**
 * Opens a campaign's ledger in Redis, so that the machines of a job queue can share it: the same calls as the
 * embedded ledger, each decision made atomically by a script on the server. The campaign is held by one process
 * at a time through a lock key that expires when its holder stops renewing it (killed, machine lost), and every
 * write that decides a send checks the lock first, so a process that lost it can no longer claim anyone.
 *
 * A claim is as durable as Redis makes it: the server must append every write to its log and sync it before
 * answering (`appendonly yes`, `appendfsync always`), and have no replica that could take over without the last
 * writes (replication is asynchronous). A server that says it does not sync is refused; one that hides its settings
 * (some managed services) or has replicas is refused too unless `durability` is `vouched`.
 */
export async function openRedisLedger(options: RedisLedgerOptions): Promise<CampaignLedger> {
  const { redis, campaign } = options;
  const lockTtlMs = options.lockTtlMs ?? DEFAULT_LOCK_TTL_MS;
  const keys = campaignKeys(campaign);
  const token = randomUUID();
  try {
    await checkDurability(redis, options.durability ?? 'required');
    const taken = await redis.set(keys.lock, token, 'PX', lockTtlMs, 'NX');
    // Refused only when another token holds it: a SET resent after a dropped connection finds this one's.
    if (taken !== 'OK' && (await redis.get(keys.lock)) !== token) {
      throw new CampaignError('locked', `the campaign is in use by another process (its lock in Redis expires ${Math.ceil(lockTtlMs / 1000)} s after that process stops)`);
    }
  } catch (error) {
    redis.disconnect();
    if (error instanceof CampaignError) throw error;
    throw new CampaignError('bad-ledger', `cannot open the campaign ledger in Redis: ${messageOf(error)}`, { cause: error });
  }
  return new RedisLedger(redis, keys, token, lockTtlMs, options.now ?? Date.now);
}

interface CampaignKeys {
  lock: string;
  /** This run's list: recipient keys scored by the line they are listed at. */
  listed: string;
  settings: string;
  /** Prefix of each recipient's hash; the recipient's key follows it. */
  recipient: string;
  /** Recipient keys scored by CSV line: the list's order. */
  lines: string;
  messages: string;
  states: Record<SendState, string>;
}

function campaignKeys(campaign: string): CampaignKeys {
  // The braces make every key of a campaign hash to one slot, so the scripts work on a cluster too.
  const base = `wavid:campaign:{${campaign}}:`;
  const states = Object.fromEntries(SEND_STATES.map((state) => [state, `${base}state:${state}`])) as Record<SendState, string>;
  return { lock: `${base}lock`, listed: `${base}listed`, settings: `${base}settings`, recipient: `${base}r:`, lines: `${base}lines`, messages: `${base}messages`, states };
}

/** Refuses a server that may lose an acknowledged claim (a restart, a failover), as `durability` asks. */
async function checkDurability(redis: Redis, durability: LedgerDurability): Promise<void> {
  if (durability === 'not-needed') return;
  const settings = (await redis.config('GET', 'append*').catch(() => null)) as string[] | null;
  if (settings !== null) {
    const value = (name: string) => settings[settings.indexOf(name) + 1];
    if (value('appendonly') !== 'yes' || value('appendfsync') !== 'always') {
      throw new CampaignError(
        'bad-ledger',
        'Redis does not sync each write to disk before answering (it needs appendonly yes and appendfsync always), so a claim could be lost in a restart and a recipient messaged twice',
      );
    }
  }
  if (durability === 'vouched') return;
  const replication = await redis.info('replication').catch(() => null);
  const replicas = replication === null ? null : Number(/^connected_slaves:(\d+)/m.exec(replication)?.[1] ?? Number.NaN);
  let doubt: string | null = null;
  if (settings === null) doubt = 'it does not let its settings be read, so it cannot be checked that it syncs each write before answering';
  else if (replicas === null || Number.isNaN(replicas)) doubt = 'it does not say whether it has replicas';
  else if (replicas > 0) doubt = `it has ${replicas} replica${replicas === 1 ? '' : 's'}, copied after each answer, so a failover can lose a claim`;
  if (doubt !== null) {
    throw new CampaignError(
      'bad-ledger',
      `cannot confirm that Redis keeps every claim (a lost claim means a recipient messaged twice): ${doubt}; if you have made sure it does, say so with --trust-redis-durability (durability: 'vouched')`,
    );
  }
}

class RedisLedger implements CampaignLedger {
  readonly #renewal: NodeJS.Timeout;
  #closed = false;
  /** Status updates one after another: a WATCH belongs to the connection, and a second one would clear the first. */
  #statuses: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly redis: Redis,
    private readonly keys: CampaignKeys,
    private readonly token: string,
    lockTtlMs: number,
    private readonly now: () => number,
  ) {
    this.#renewal = setInterval(() => {
      // A renewal that fails is not fatal here: the next fenced write says whether the lock is still ours.
      redis.eval(SCRIPTS.renew, 1, keys.lock, token, lockTtlMs).catch(() => undefined);
    }, Math.max(1000, Math.floor(lockTtlMs / 3)));
    this.#renewal.unref();
  }

  async getSetting(name: string): Promise<string | null> {
    return this.call(() => this.redis.hget(this.keys.settings, name));
  }

  async setSetting(name: string, value: string): Promise<void> {
    await this.call(() => this.redis.hset(this.keys.settings, name, value));
  }

  async addRecipients(recipients: readonly NewRecipient[]): Promise<number> {
    let added = 0;
    for (let start = 0; start < recipients.length; start += PAGE) {
      const page = recipients.slice(start, start + PAGE).flatMap(({ key, masked, line }) => [key, masked, String(line)]);
      added += Number(await this.script(SCRIPTS.addRecipients, [this.keys.states.pending, this.keys.lines], page));
    }
    return added;
  }

  async startList(): Promise<void> {
    await this.script(SCRIPTS.startList, [this.keys.listed], []);
  }

  async listRecipients(rows: readonly NewRecipient[]): Promise<ListedBatch> {
    const batch: ListedBatch = { added: 0, repeats: [] };
    for (let start = 0; start < rows.length; start += PAGE) {
      const page = rows.slice(start, start + PAGE).flatMap(({ key, masked, line }) => [key, masked, String(line)]);
      const [added, ...repeats] = (await this.script(SCRIPTS.listRecipients, [this.keys.states.pending, this.keys.lines, this.keys.listed], page)) as (number | string)[];
      batch.added += Number(added);
      for (let index = 0; index < repeats.length; index += 2) batch.repeats.push({ line: Number(repeats[index]), firstLine: Number(repeats[index + 1]) });
    }
    return batch;
  }

  async pendingListed(afterLine: number, limit: number): Promise<{ key: string; line: number }[]> {
    const page: { key: string; line: number }[] = [];
    // A script at a time looks at a bounded part of the list, so resuming a long, mostly sent list never blocks Redis.
    for (let from = String(afterLine); from !== '' && page.length < limit; ) {
      const [last, ...found] = (await this.call(() => this.redis.eval(SCRIPTS.pendingListed, 2, this.keys.listed, this.keys.states.pending, from, limit - page.length, LISTED_SCAN))) as string[];
      for (let index = 0; index < found.length; index += 2) page.push({ key: found[index] ?? '', line: Number(found[index + 1]) });
      from = last ?? '';
    }
    return page;
  }

  async recoverInterrupted(): Promise<number> {
    const detail = 'the process stopped after this message was cleared to go out and before its answer was recorded';
    return Number(await this.script(SCRIPTS.moveAll, [this.keys.states.sending, this.keys.states.unknown], ['unknown', 'interrupted', detail]));
  }

  async requeueUnknown(): Promise<number> {
    return Number(await this.script(SCRIPTS.moveAll, [this.keys.states.unknown, this.keys.states.pending], ['pending', '', '']));
  }

  async pendingKeys(): Promise<Set<string>> {
    return new Set(await this.call(() => this.redis.smembers(this.keys.states.pending)));
  }

  async claim(keys: readonly string[]): Promise<string[]> {
    if (keys.length === 0) return [];
    return (await this.script(SCRIPTS.claim, [this.keys.states.pending, this.keys.states.sending], [randomUUID(), ...keys])) as string[];
  }

  release(key: string): Promise<void> {
    return this.move(key, 'pending', { attempts: -1 });
  }

  markAccepted(key: string, messageId: string | null): Promise<void> {
    return this.move(key, 'accepted', { messageId });
  }

  markFailed(key: string, code: string, detail: string): Promise<void> {
    return this.move(key, 'failed', { errorCode: code, errorDetail: detail });
  }

  markUnknown(key: string, code: string, detail: string): Promise<void> {
    return this.move(key, 'unknown', { errorCode: code, errorDetail: detail });
  }

  applyStatus(update: StatusUpdate): Promise<StatusEffect> {
    const applied = this.#statuses.then(() => this.applyOneStatus(update));
    this.#statuses = applied.catch(() => undefined);
    return applied;
  }

  private async applyOneStatus(update: StatusUpdate): Promise<StatusEffect> {
    const key = await this.call(() => this.redis.hget(this.keys.messages, update.messageId));
    if (key === null) return 'unmatched';
    const entry = this.keys.recipient + key;
    // Optimistic: if the entry changes between the read and the write (another status arriving), read again.
    for (;;) {
      const effect = await this.call(async () => {
        await this.redis.watch(entry);
        const next = mergeDelivery((await this.redis.hget(entry, 'delivery')) as DeliveryStatus | null, update.status);
        if (next === null) {
          await this.redis.unwatch();
          return 'ignored' as const;
        }
        const error = next === 'failed' ? update.errors[0] : undefined;
        const fields = {
          delivery: next,
          delivery_at: String(update.timestamp),
          delivery_error_code: error?.code ?? '',
          delivery_error_title: error ? [error.title, error.details].filter(Boolean).join(': ') : '',
          updated_at: String(this.now()),
        };
        const done = await this.redis.multi().hset(entry, fields).exec();
        return done === null ? null : ('applied' as const);
      });
      if (effect !== null) return effect;
    }
  }

  async *entries(): AsyncIterable<LedgerEntry> {
    // By rank in the line order, a page at a time: a long list is never held whole.
    for (let start = 0; ; start += PAGE) {
      const keys = await this.call(() => this.redis.zrange(this.keys.lines, start, start + PAGE - 1));
      if (keys.length === 0) return;
      const pipeline = this.redis.pipeline();
      for (const key of keys) pipeline.hgetall(this.keys.recipient + key);
      const rows = (await this.call(() => pipeline.exec())) ?? [];
      for (const [error, row] of rows) {
        if (error) throw new CampaignError('bad-ledger', `cannot read the campaign ledger in Redis: ${error.message}`, { cause: error });
        yield entryFrom(row as Record<string, string>);
      }
    }
  }

  async counts(): Promise<Record<SendState, number>> {
    const pipeline = this.redis.pipeline();
    for (const state of SEND_STATES) pipeline.scard(this.keys.states[state]);
    const answers = (await this.call(() => pipeline.exec())) ?? [];
    const counts: Record<SendState, number> = { pending: 0, sending: 0, accepted: 0, failed: 0, unknown: 0 };
    SEND_STATES.forEach((state, index) => (counts[state] = Number(answers[index]?.[1] ?? 0)));
    return counts;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#renewal);
    try {
      await this.redis.eval(SCRIPTS.unlock, 1, this.keys.lock, this.token);
      await this.redis.quit();
    } catch {
      // Redis is away: the lock expires by itself.
      this.redis.disconnect();
    }
  }

  private async move(key: string, to: SendState, fields: { messageId?: string | null; errorCode?: string; errorDetail?: string; attempts?: number }): Promise<void> {
    const args = [key, to, fields.messageId ?? '', fields.errorCode ?? '', fields.errorDetail ?? '', String(fields.attempts ?? 0), randomUUID()];
    try {
      await this.script(SCRIPTS.move, [this.keys.states.sending, this.keys.states[to], this.keys.messages], args);
    } catch (error) {
      if (error instanceof CampaignError && error.message.includes(NOT_SENDING)) {
        throw new CampaignError('bad-ledger', `recipient ${key.slice(0, 12)} is not being sent, so it cannot become ${to}`);
      }
      throw error;
    }
  }

  /** Runs a fenced script: the lock key and this process's token come first. */
  private script(source: string, keys: readonly string[], args: readonly string[]): Promise<unknown> {
    return this.call(async () => {
      try {
        return await this.redis.eval(source, keys.length + 1, this.keys.lock, ...keys, this.token, String(this.now()), this.keys.recipient, ...args);
      } catch (error) {
        if (messageOf(error).includes(LOCK_LOST)) {
          throw new CampaignError('locked', 'this process no longer holds the campaign (its lock in Redis expired), so it stops before sending more');
        }
        throw error;
      }
    });
  }

  /** Redis failures as the ledger's own error; the ledger's errors as they are. */
  private async call<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof CampaignError) throw error;
      throw new CampaignError('bad-ledger', `the campaign ledger in Redis failed: ${messageOf(error)}`, { cause: error });
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function entryFrom(row: Record<string, string>): LedgerEntry {
  const text = (name: string) => (row[name] === undefined || row[name] === '' ? null : row[name]);
  const number = (name: string) => {
    const value = text(name);
    return value === null ? null : Number(value);
  };
  return {
    key: row.key ?? '',
    masked: row.masked ?? '',
    line: Number(row.line),
    state: row.state as SendState,
    attempts: Number(row.attempts ?? 0),
    messageId: text('message_id'),
    errorCode: text('error_code'),
    errorDetail: text('error_detail'),
    delivery: text('delivery') as DeliveryStatus | null,
    deliveryAt: number('delivery_at'),
    deliveryErrorCode: text('delivery_error_code'),
    deliveryErrorTitle: text('delivery_error_title'),
    updatedAt: Number(row.updated_at),
  };
}
