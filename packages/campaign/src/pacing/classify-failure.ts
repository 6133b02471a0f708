/** What a failed send means for the campaign, decided from the provider's answer alone. */
export type FailureKind =
  /** Too many messages: nothing was sent; wait and try the same recipient again. */
  | 'throttled'
  /** Too many messages to this recipient (131056): nothing was sent; try this one again later. */
  | 'pair-limited'
  /** About the account, the number or the template, not the recipient: stop the campaign. */
  | 'account'
  /** Certainly not sent (no connection was made): stop, leaving the recipient pending. */
  | 'not-sent'
  /** The request may have gone out (timeout, dropped connection, 5xx, unreadable success): never resend silently. */
  | 'unknown'
  /** The provider refused this recipient's message. */
  | 'recipient';

/** The fields of a failed send that decide its kind; ProviderError has them all. */
export interface SendFailure {
  /** ProviderError's code: `unauthorized`, `rejected`, `rate-limited`, `server-error`, `bad-response`, `unreachable`, `timeout`, `network`. */
  code: string;
  status: number | null;
  providerCode: string | null;
}

/** Meta's codes for throughput limits: 130429 (messages per second), 80007 and 4 (API call rate). */
const THROTTLE_CODES = new Set(['130429', '80007', '4']);

/**
 * Codes that refuse every message the campaign would send, not one recipient: the token (190, 0), permissions
 * (3, 10, 200), the account or number (368, 131031, 131042, 131048, 131057, 133010), the template (132000 to
 * 132016: missing, parameter count or format, paused, disabled), Kaleyra's credentials and balance (RBC001,
 * WA401, WA-401, E110).
 */
const ACCOUNT_CODES = new Set([
  '0',
  '3',
  '10',
  '190',
  '200',
  '368',
  '131031',
  '131042',
  '131048',
  '131057',
  '133010',
  '132000',
  '132001',
  '132005',
  '132007',
  '132012',
  '132015',
  '132016',
  'RBC001',
  'WA401',
  'WA-401',
  'E110',
]);

/** Sorts a failed send into what the campaign does next. Pure. */
export function classifyFailure(failure: SendFailure): FailureKind {
  const providerCode = failure.providerCode ?? '';
  if (failure.code === 'rate-limited' || failure.status === 429 || THROTTLE_CODES.has(providerCode)) return 'throttled';
  if (providerCode === '131056') return 'pair-limited';
  if (failure.code === 'unauthorized' || ACCOUNT_CODES.has(providerCode)) return 'account';
  if (failure.code === 'unreachable') return 'not-sent';
  if (failure.code === 'rejected') return 'recipient';
  return 'unknown';
}
