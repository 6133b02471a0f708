import { open, type FileHandle } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Database as SqliteDatabase } from 'node-sqlite3-wasm';
import { CampaignError } from '../errors.js';
import { lockCampaign } from './campaign-lock.js';
import type { CampaignLedger, DeliveryStatus, LedgerEntry, ListedBatch, NewRecipient, SendState, StatusEffect, StatusUpdate } from './ledger.js';
import { mergeDelivery } from './transitions.js';

// The package is CommonJS; its types declare a module of named classes.
const { Database } = createRequire(import.meta.url)('node-sqlite3-wasm') as typeof import('node-sqlite3-wasm');

const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS recipients (
  key TEXT PRIMARY KEY,
  masked TEXT NOT NULL,
  line INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'accepted', 'failed', 'unknown')),
  attempts INTEGER NOT NULL DEFAULT 0,
  message_id TEXT,
  error_code TEXT,
  error_detail TEXT,
  delivery TEXT CHECK (delivery IN ('sent', 'delivered', 'read', 'failed')),
  delivery_at INTEGER,
  delivery_error_code TEXT,
  delivery_error_title TEXT,
  updated_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS recipients_by_line ON recipients (line);
CREATE INDEX IF NOT EXISTS recipients_by_message ON recipients (message_id) WHERE message_id IS NOT NULL;
-- This run's list, by line: numbers are told apart here, not in memory, and the list is sent from it page by page.
CREATE TABLE IF NOT EXISTS listed (line INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE);
`;

export interface SqliteLedgerOptions {
  /** Clock for `updatedAt`. Default `Date.now`. */
  now?: (() => number) | undefined;
}

/**
 * Opens (or creates) a campaign ledger in an SQLite file, through SQLite compiled to WebAssembly: nothing is
 * compiled or downloaded at install time. The file is held by this process alone (see lockCampaign) and kept in
 * WAL mode with exclusive locking, so an ordinary write costs one append to the log. Writes survive the process
 * being killed as soon as they return; a claim (the write that lets a message go out) is also synced to disk,
 * claims made at the same time sharing one sync.
 */
export function openSqliteLedger(path: string, options: SqliteLedgerOptions = {}): CampaignLedger {
  const lock = lockCampaign(path);
  let db: SqliteDatabase;
  try {
    db = new Database(path);
    // Exclusive locking before the first access lets WAL work without shared memory, which this build has not.
    db.exec('PRAGMA locking_mode = EXCLUSIVE; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;');
    const version = Number(db.get('PRAGMA user_version')?.user_version ?? 0);
    if (version > SCHEMA_VERSION) throw new CampaignError('bad-ledger', `${path} was written by a newer wavid (ledger version ${version})`);
    db.exec(`BEGIN; ${SCHEMA} PRAGMA user_version = ${SCHEMA_VERSION}; COMMIT;`);
  } catch (error) {
    lock.release();
    if (error instanceof CampaignError) throw error;
    throw new CampaignError('bad-ledger', `cannot open the campaign ledger ${path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return new SqliteLedger(path, db, lock, options.now ?? Date.now);
}

class SqliteLedger implements CampaignLedger {
  /** Claims written, and written and synced; the sync running now. */
  private logWrites = 0;
  private logSynced = 0;
  private logSync: Promise<void> | null = null;
  private log: Promise<FileHandle> | null = null;

  constructor(
    private readonly path: string,
    private readonly db: SqliteDatabase,
    private readonly lock: { release(): void },
    private readonly now: () => number,
  ) {}

  getSetting(name: string): Promise<string | null> {
    return settle(() => {
      const row = this.db.get('SELECT value FROM settings WHERE name = ?', [name]);
      return row === null ? null : text(row, 'value');
    });
  }

  setSetting(name: string, value: string): Promise<void> {
    return settle(() => {
      this.db.run('INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value', [name, value]);
    });
  }

  addRecipients(recipients: readonly NewRecipient[]): Promise<number> {
    return settle(() =>
      this.transaction(() => {
        const insert = this.db.prepare("INSERT INTO recipients (key, masked, line, state, updated_at) VALUES (?, ?, ?, 'pending', ?) ON CONFLICT (key) DO NOTHING");
        let added = 0;
        try {
          const at = this.now();
          for (const recipient of recipients) added += insert.run([recipient.key, recipient.masked, recipient.line, at]).changes;
        } finally {
          insert.finalize();
        }
        return added;
      }),
    );
  }

  startList(): Promise<void> {
    return settle(() => {
      this.db.run('DELETE FROM listed');
    });
  }

  listRecipients(rows: readonly NewRecipient[]): Promise<ListedBatch> {
    return settle(() =>
      this.transaction(() => {
        const list = this.db.prepare('INSERT INTO listed (line, key) VALUES (?, ?) ON CONFLICT (key) DO NOTHING');
        const firstLine = this.db.prepare('SELECT line FROM listed WHERE key = ?');
        const insert = this.db.prepare("INSERT INTO recipients (key, masked, line, state, updated_at) VALUES (?, ?, ?, 'pending', ?) ON CONFLICT (key) DO NOTHING");
        const batch: ListedBatch = { added: 0, repeats: [] };
        try {
          const at = this.now();
          for (const row of rows) {
            if (list.run([row.line, row.key]).changes === 0) {
              batch.repeats.push({ line: row.line, firstLine: Number(firstLine.get([row.key])?.line) });
              continue;
            }
            batch.added += insert.run([row.key, row.masked, row.line, at]).changes;
          }
        } finally {
          list.finalize();
          firstLine.finalize();
          insert.finalize();
        }
        return batch;
      }),
    );
  }

  pendingListed(afterLine: number, limit: number): Promise<{ key: string; line: number }[]> {
    return settle(() =>
      this.db
        .all("SELECT listed.line AS line, listed.key AS key FROM listed JOIN recipients ON recipients.key = listed.key WHERE listed.line > ? AND recipients.state = 'pending' ORDER BY listed.line LIMIT ?", [afterLine, limit])
        .map((row) => ({ key: text(row, 'key'), line: Number(row.line) })),
    );
  }

  recoverInterrupted(): Promise<number> {
    return settle(
      () =>
        this.db.run(
          "UPDATE recipients SET state = 'unknown', error_code = 'interrupted', error_detail = ?, updated_at = ? WHERE state = 'sending'",
          ['the process stopped after this message was cleared to go out and before its answer was recorded', this.now()],
        ).changes,
    );
  }

  requeueUnknown(): Promise<number> {
    return settle(() => this.db.run("UPDATE recipients SET state = 'pending', updated_at = ? WHERE state = 'unknown'", [this.now()]).changes);
  }

  pendingKeys(): Promise<Set<string>> {
    return settle(() => new Set(this.db.all("SELECT key FROM recipients WHERE state = 'pending'").map((row) => text(row, 'key'))));
  }

  async claim(keys: readonly string[]): Promise<string[]> {
    if (keys.length === 0) return [];
    const claimed = this.transaction(() => {
      const update = this.db.prepare("UPDATE recipients SET state = 'sending', attempts = attempts + 1, updated_at = ? WHERE key = ? AND state = 'pending'");
      const moved: string[] = [];
      try {
        const at = this.now();
        for (const key of keys) if (update.run([at, key]).changes === 1) moved.push(key);
      } finally {
        update.finalize();
      }
      return moved;
    });
    // Written to the log (the process may die now and it stays); synced to disk before a request is made.
    await this.syncLog();
    return claimed;
  }

  /**
   * Resolves once everything written to the log before the call is on disk. The sync runs on the thread pool, not
   * in the synchronous database, so sending goes on meanwhile; writes made while one sync runs share the next.
   */
  private async syncLog(): Promise<void> {
    const wanted = ++this.logWrites;
    while (this.logSynced < wanted) {
      if (this.logSync === null) {
        const upTo = this.logWrites;
        this.logSync = this.datasyncLog()
          .then(() => {
            this.logSynced = Math.max(this.logSynced, upTo);
          })
          .finally(() => {
            this.logSync = null;
          });
      }
      await this.logSync;
    }
  }

  private async datasyncLog(): Promise<void> {
    // A sync through any descriptor of a file flushes all of that file's writes, the database's own included.
    this.log ??= open(`${this.path}-wal`, 'r');
    await (await this.log).datasync();
  }

  release(key: string): Promise<void> {
    return settle(() => {
      this.move(key, 'pending', { attempts: -1 });
    });
  }

  markAccepted(key: string, messageId: string | null): Promise<void> {
    return settle(() => {
      this.move(key, 'accepted', { messageId });
    });
  }

  markFailed(key: string, code: string, detail: string): Promise<void> {
    return settle(() => {
      this.move(key, 'failed', { errorCode: code, errorDetail: detail });
    });
  }

  markUnknown(key: string, code: string, detail: string): Promise<void> {
    return settle(() => {
      this.move(key, 'unknown', { errorCode: code, errorDetail: detail });
    });
  }

  applyStatus(update: StatusUpdate): Promise<StatusEffect> {
    return settle(() =>
      this.transaction((): StatusEffect => {
        const row = this.db.get('SELECT key, delivery FROM recipients WHERE message_id = ?', [update.messageId]);
        if (row === null) return 'unmatched';
        const next = mergeDelivery(optionalText(row, 'delivery') as DeliveryStatus | null, update.status);
        if (next === null) return 'ignored';
        const error = next === 'failed' ? update.errors[0] : undefined;
        this.db.run(
          'UPDATE recipients SET delivery = ?, delivery_at = ?, delivery_error_code = ?, delivery_error_title = ?, updated_at = ? WHERE key = ?',
          [next, update.timestamp, error?.code ?? null, error ? [error.title, error.details].filter(Boolean).join(': ') : null, this.now(), text(row, 'key')],
        );
        return 'applied';
      }),
    );
  }

  async *entries(): AsyncIterable<LedgerEntry> {
    // Pages by line, so a long list is never held in memory whole and no statement stays open across an await.
    let afterLine = 0;
    let afterKey = '';
    for (;;) {
      const rows = this.db.all('SELECT * FROM recipients WHERE (line, key) > (?, ?) ORDER BY line, key LIMIT 1000', [afterLine, afterKey]);
      if (rows.length === 0) return;
      for (const row of rows) yield entryFrom(row);
      const last = rows[rows.length - 1];
      if (!last) return;
      afterLine = Number(last.line);
      afterKey = text(last, 'key');
      await Promise.resolve();
    }
  }

  counts(): Promise<Record<SendState, number>> {
    return settle(() => {
      const counts: Record<SendState, number> = { pending: 0, sending: 0, accepted: 0, failed: 0, unknown: 0 };
      for (const row of this.db.all('SELECT state, COUNT(*) AS n FROM recipients GROUP BY state')) counts[text(row, 'state') as SendState] = Number(row.n);
      return counts;
    });
  }

  async close(): Promise<void> {
    try {
      await this.logSync?.catch(() => undefined);
      await (await this.log?.catch(() => null))?.close();
      if (this.db.isOpen) this.db.close();
    } finally {
      this.lock.release();
    }
  }

  private move(key: string, to: SendState, fields: { messageId?: string | null; errorCode?: string; errorDetail?: string; attempts?: number }): void {
    const { changes } = this.db.run(
      `UPDATE recipients SET state = ?, message_id = COALESCE(?, message_id), error_code = ?, error_detail = ?, attempts = attempts + ?, updated_at = ?
       WHERE key = ? AND state = 'sending'`,
      [to, fields.messageId ?? null, fields.errorCode ?? null, fields.errorDetail ?? null, fields.attempts ?? 0, this.now(), key],
    );
    if (changes !== 1) throw new CampaignError('bad-ledger', `recipient ${key.slice(0, 12)} is not being sent, so it cannot become ${to}`);
  }

  private transaction<T>(work: () => T): T {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }
}

/** The result of synchronous database work as a promise, its exceptions as rejections. */
function settle<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

type Row = Record<string, unknown>;

function text(row: Row, column: string): string {
  return optionalText(row, column) ?? '';
}

function optionalText(row: Row, column: string): string | null {
  const value = row[column];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return value.toString();
  return null;
}

function entryFrom(row: Row): LedgerEntry {
  const number = (value: unknown) => (value === null || value === undefined ? null : Number(value));
  return {
    key: text(row, 'key'),
    masked: text(row, 'masked'),
    line: Number(row.line),
    state: text(row, 'state') as SendState,
    attempts: Number(row.attempts),
    messageId: optionalText(row, 'message_id'),
    errorCode: optionalText(row, 'error_code'),
    errorDetail: optionalText(row, 'error_detail'),
    delivery: optionalText(row, 'delivery') as DeliveryStatus | null,
    deliveryAt: number(row.delivery_at),
    deliveryErrorCode: optionalText(row, 'delivery_error_code'),
    deliveryErrorTitle: optionalText(row, 'delivery_error_title'),
    updatedAt: Number(row.updated_at),
  };
}
