/**
 * Where a recipient's one message stands. `sending` is written, durably, before the request goes out;
 * `unknown` means the request may have reached the provider but no answer was recorded (the process died, or
 * the answer never came), so the message is not sent again unless a person says so.
 */
export type SendState = 'pending' | 'sending' | 'accepted' | 'failed' | 'unknown';

export const SEND_STATES: readonly SendState[] = ['pending', 'sending', 'accepted', 'failed', 'unknown'];

/** What the status webhook reported last about an accepted message. */
export type DeliveryStatus = 'sent' | 'delivered' | 'read' | 'failed';

/** A recipient as the ledger knows them: never the number, only its key and masked form. */
export interface LedgerEntry {
  key: string;
  masked: string;
  /** The CSV line the number first appeared on. */
  line: number;
  state: SendState;
  /** Requests made for this recipient (0 or 1, unless a person chose to resend an unknown one). */
  attempts: number;
  messageId: string | null;
  /** For `failed` and `unknown`: the provider's code, or wavid's (`timeout`, `network`, `interrupted`...). */
  errorCode: string | null;
  errorDetail: string | null;
  delivery: DeliveryStatus | null;
  /** The delivery status's own timestamp, in seconds since 1970, as the webhook gave it. */
  deliveryAt: number | null;
  deliveryErrorCode: string | null;
  deliveryErrorTitle: string | null;
  /** Milliseconds since 1970 of the last change. */
  updatedAt: number;
}

/** One status from a webhook, without the recipient's number. */
export interface StatusUpdate {
  messageId: string;
  status: DeliveryStatus;
  /** Seconds since 1970, as Meta sends it. */
  timestamp: number;
  errors: { code: string; title: string; details: string | null }[];
}

/** What applying a status did: changed the entry, changed nothing (a repeat or an older status), or matched no message. */
export type StatusEffect = 'applied' | 'ignored' | 'unmatched';

/** A new recipient for the ledger. */
export interface NewRecipient {
  key: string;
  masked: string;
  line: number;
}

/** What listing a batch of rows did. */
export interface ListedBatch {
  /** Numbers new to the ledger. */
  added: number;
  /** Rows whose number was listed on an earlier line. */
  repeats: { line: number; firstLine: number }[];
}

/**
 * The campaign's durable record. Every write is complete when its promise resolves; `claim` is also on disk
 * (synced) by then, because it decides that a message may go out. An implementation on an embedded database
 * serves one machine; one on Redis can serve workers of a job queue with the same calls.
 */
export interface CampaignLedger {
  /** A campaign setting (salt, settings, media id...), or null. */
  getSetting(name: string): Promise<string | null>;
  setSetting(name: string, value: string): Promise<void>;
  /** Adds recipients not yet in the ledger as `pending`; those already there keep their state. Returns how many were new. */
  addRecipients(recipients: readonly NewRecipient[]): Promise<number>;
  /** Forgets the list of the last run, before this run's list is read (`listRecipients`). */
  startList(): Promise<void>;
  /**
   * Rows of this run's list, in order, a batch at a time: each number new to the list is added (as `addRecipients`)
   * and listed at its line; a number already listed is a repeat, returned with the line it was first listed at.
   */
  listRecipients(rows: readonly NewRecipient[]): Promise<ListedBatch>;
  /** A page of this run's list: the `pending` recipients listed after `afterLine`, by line, at most `limit`. */
  pendingListed(afterLine: number, limit: number): Promise<{ key: string; line: number }[]>;
  /** After a process died: every `sending` becomes `unknown` (`interrupted`). Returns how many. */
  recoverInterrupted(): Promise<number>;
  /** A person's decision to resend: every `unknown` becomes `pending` again. Returns how many. */
  requeueUnknown(): Promise<number>;
  /** Keys of every `pending` recipient. */
  pendingKeys(): Promise<Set<string>>;
  /** Moves each `pending` key to `sending`, durably, and returns the keys it moved. */
  claim(keys: readonly string[]): Promise<string[]>;
  /** `sending` back to `pending`: the request certainly did not reach the provider. */
  release(key: string): Promise<void>;
  markAccepted(key: string, messageId: string | null): Promise<void>;
  markFailed(key: string, code: string, detail: string): Promise<void>;
  markUnknown(key: string, code: string, detail: string): Promise<void>;
  /** Records a webhook status against the entry with that message id; idempotent and order-independent. */
  applyStatus(update: StatusUpdate): Promise<StatusEffect>;
  /** Every entry, in list order. */
  entries(): AsyncIterable<LedgerEntry>;
  counts(): Promise<Record<SendState, number>>;
  close(): Promise<void>;
}
