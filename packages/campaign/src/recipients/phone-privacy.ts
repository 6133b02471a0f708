import { createHmac, randomBytes } from 'node:crypto';

/** A new random key for a campaign's recipient keys, as hex. */
export function newRecipientSalt(): string {
  return randomBytes(32).toString('hex');
}

/**
 * The ledger's key for a phone number: HMAC-SHA256 of its digits under the campaign's salt. The number itself is
 * never stored; the key lets a re-run match the list's rows to the ledger's. Salted per campaign so that keys do
 * not match across campaigns or a precomputed table; a key can still be tested against a guessed number by whoever
 * holds the ledger, which is why the ledger stays with the list it came from.
 */
export function recipientKey(digits: string, salt: string): string {
  return createHmac('sha256', Buffer.from(salt, 'hex')).update(digits).digest('hex');
}

/** A number for people to recognise without it being readable: `+49•••••••5678` (country code start and last four). */
export function maskPhone(digits: string): string {
  const head = digits.slice(0, 2);
  const tail = digits.slice(-4);
  return `+${head}${'•'.repeat(Math.max(1, digits.length - head.length - tail.length))}${tail}`;
}
