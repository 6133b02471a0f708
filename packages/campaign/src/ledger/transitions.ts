import type { DeliveryStatus, SendState } from './ledger.js';

/**
 * The moves a recipient's send state may make. A message can only go out from `pending` (via `sending`), and
 * `unknown` goes back to `pending` only by a person's decision (`--resend-unknown`).
 */
const ALLOWED: Record<SendState, readonly SendState[]> = {
  pending: ['sending'],
  sending: ['pending', 'accepted', 'failed', 'unknown'],
  accepted: [],
  failed: [],
  unknown: ['pending'],
};

export function canMove(from: SendState, to: SendState): boolean {
  return ALLOWED[from].includes(to);
}

const RANK: Record<DeliveryStatus, number> = { sent: 1, delivered: 2, read: 3, failed: 4 };

/**
 * The delivery status to keep when `incoming` arrives on top of `current`. Webhooks come at least once and in
 * any order, so a status never moves the record backwards: `delivered` after `read` changes nothing, nor does a
 * repeat. `failed` wins over `sent`, but not over `delivered` or `read`, which say the message arrived.
 */
export function mergeDelivery(current: DeliveryStatus | null, incoming: DeliveryStatus): DeliveryStatus | null {
  if (current === null) return incoming;
  if (current === incoming) return null;
  if (incoming === 'failed') return current === 'sent' ? 'failed' : null;
  if (current === 'failed') return null;
  return RANK[incoming] > RANK[current] ? incoming : null;
}
