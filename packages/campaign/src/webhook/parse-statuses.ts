import type { DeliveryStatus, StatusUpdate } from '../ledger/ledger.js';

const STATUSES = new Set<string>(['sent', 'delivered', 'read', 'failed']);

/**
 * The message statuses in a webhook body (`entry[].changes[].value.statuses[]`), as StatusUpdates. The
 * recipient's number (`recipient_id`) is dropped here, so it is never stored. Statuses that are not about a
 * message's delivery, and malformed ones, are skipped. Pure.
 */
export function parseStatuses(body: unknown): StatusUpdate[] {
  const updates: StatusUpdate[] = [];
  for (const entry of arrayOf(recordOf(body)?.entry)) {
    for (const change of arrayOf(recordOf(entry)?.changes)) {
      for (const status of arrayOf(recordOf(recordOf(change)?.value)?.statuses)) {
        const fields = recordOf(status);
        const messageId = fields?.id;
        const value = fields?.status;
        const timestamp = Number(fields?.timestamp);
        if (typeof messageId !== 'string' || messageId === '' || typeof value !== 'string' || !STATUSES.has(value) || !Number.isFinite(timestamp)) continue;
        const errors = arrayOf(fields?.errors).map((error) => {
          const item = recordOf(error);
          const details = recordOf(item?.error_data)?.details;
          return {
            code: String(typeof item?.code === 'number' || typeof item?.code === 'string' ? item.code : ''),
            title: typeof item?.title === 'string' ? item.title : typeof item?.message === 'string' ? item.message : '',
            details: typeof details === 'string' ? details : null,
          };
        });
        updates.push({ messageId, status: value as DeliveryStatus, timestamp, errors });
      }
    }
  }
  return updates;
}

function recordOf(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function arrayOf(value: unknown): unknown[] {
  return Array.isArray(value) ? (value as unknown[]) : [];
}
