/**
 * What every campaign ledger must do, whatever stores it: run against the embedded one and the one in Redis.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { CampaignError, type CampaignLedger, type LedgerEntry } from '@wavid/campaign';

export interface LedgerUnderTest {
  /** A new, empty ledger whose clock always says 1000. */
  open(): Promise<CampaignLedger>;
  /** Removes what `open` made. */
  cleanUp?(): Promise<void>;
}

export function ledgerContract(subject: LedgerUnderTest): void {
  let ledger: CampaignLedger;
  const all = async () => {
    const entries: LedgerEntry[] = [];
    for await (const entry of ledger.entries()) entries.push(entry);
    return entries;
  };

  beforeEach(async () => {
    ledger = await subject.open();
  });
  afterEach(async () => {
    await ledger.close();
    await subject.cleanUp?.();
  });

  it('adds each recipient once and keeps the state of those already there', async () => {
    expect(await ledger.addRecipients([{ key: 'a', masked: '+49•5678', line: 2 }, { key: 'b', masked: '+49•5679', line: 3 }])).toBe(2);
    await ledger.claim(['a']);
    await ledger.markAccepted('a', 'wamid.1');
    expect(await ledger.addRecipients([{ key: 'a', masked: '+49•5678', line: 2 }, { key: 'c', masked: '+49•5670', line: 4 }])).toBe(1);
    expect(await ledger.counts()).toEqual({ pending: 2, sending: 0, accepted: 1, failed: 0, unknown: 0 });
    expect([...(await ledger.pendingKeys())].sort()).toEqual(['b', 'c']);
  });

  it("tells a list's repeated numbers apart and pages its pending recipients by line", async () => {
    await ledger.addRecipients([{ key: 'a', masked: 'A', line: 2 }]);
    await ledger.claim(['a']);
    await ledger.markAccepted('a', 'wamid.1');
    await ledger.startList();
    const row = (key: string, line: number) => ({ key, masked: key.toUpperCase(), line });
    expect(await ledger.listRecipients([row('b', 2), row('a', 3), row('c', 4)])).toEqual({ added: 2, repeats: [] });
    // A repeat in a later batch is told apart by the ledger, with the line it was first listed at.
    expect(await ledger.listRecipients([row('b', 5), row('d', 6), row('c', 7)])).toEqual({ added: 1, repeats: [{ line: 5, firstLine: 2 }, { line: 7, firstLine: 4 }] });
    expect(await ledger.pendingListed(0, 2)).toEqual([{ key: 'b', line: 2 }, { key: 'c', line: 4 }]);
    expect(await ledger.pendingListed(4, 2)).toEqual([{ key: 'd', line: 6 }]);
    expect(await ledger.pendingListed(6, 2)).toEqual([]);
    // The next run's list starts afresh: a number listed last time is not a repeat now.
    await ledger.startList();
    expect(await ledger.listRecipients([row('d', 2)])).toEqual({ added: 0, repeats: [] });
    expect(await ledger.pendingListed(0, 10)).toEqual([{ key: 'd', line: 2 }]);
  });

  it('claims only pending recipients, and records every outcome from sending only', async () => {
    await ledger.addRecipients(['a', 'b', 'c', 'd'].map((key, index) => ({ key, masked: key, line: index + 2 })));
    expect(await ledger.claim(['a', 'b', 'c', 'd'])).toEqual(['a', 'b', 'c', 'd']);
    expect(await ledger.claim(['a'])).toEqual([]);
    await ledger.markAccepted('a', 'wamid.1');
    await ledger.markFailed('b', '131026', 'Message undeliverable');
    await ledger.markUnknown('c', 'timeout', 'no answer within 30 s');
    await ledger.release('d');
    await expect(ledger.markFailed('a', 'x', 'y')).rejects.toBeInstanceOf(CampaignError);
    const entries = await all();
    expect(entries.map((entry) => [entry.key, entry.state, entry.attempts, entry.messageId, entry.errorCode])).toEqual([
      ['a', 'accepted', 1, 'wamid.1', null],
      ['b', 'failed', 1, null, '131026'],
      ['c', 'unknown', 1, null, 'timeout'],
      ['d', 'pending', 0, null, null],
    ]);
    expect(await ledger.requeueUnknown()).toBe(1);
    expect([...(await ledger.pendingKeys())].sort()).toEqual(['c', 'd']);
  });

  it('turns what was being sent when a process died into unknown', async () => {
    await ledger.addRecipients([{ key: 'a', masked: 'a', line: 2 }, { key: 'b', masked: 'b', line: 3 }]);
    await ledger.claim(['a']);
    expect(await ledger.recoverInterrupted()).toBe(1);
    const [a, b] = await all();
    expect([a?.state, a?.errorCode, b?.state]).toEqual(['unknown', 'interrupted', 'pending']);
  });

  it('records statuses by message id, idempotent and in any order', async () => {
    await ledger.addRecipients([{ key: 'a', masked: 'a', line: 2 }, { key: 'b', masked: 'b', line: 3 }]);
    await ledger.claim(['a', 'b']);
    await ledger.markAccepted('a', 'wamid.A');
    await ledger.markAccepted('b', 'wamid.B');
    const status = (messageId: string, value: 'sent' | 'delivered' | 'read' | 'failed', timestamp: number) => ({ messageId, status: value, timestamp, errors: value === 'failed' ? [{ code: '131053', title: 'Media upload error', details: 'could not fetch' }] : [] });
    expect(await ledger.applyStatus(status('wamid.A', 'read', 30))).toBe('applied');
    expect(await ledger.applyStatus(status('wamid.A', 'delivered', 20))).toBe('ignored');
    expect(await ledger.applyStatus(status('wamid.A', 'read', 30))).toBe('ignored');
    expect(await ledger.applyStatus(status('wamid.B', 'sent', 10))).toBe('applied');
    expect(await ledger.applyStatus(status('wamid.B', 'failed', 19))).toBe('applied');
    expect(await ledger.applyStatus(status('wamid.Z', 'sent', 10))).toBe('unmatched');
    const [a, b] = await all();
    expect([a?.delivery, a?.deliveryAt]).toEqual(['read', 30]);
    expect([b?.delivery, b?.deliveryErrorCode, b?.deliveryErrorTitle]).toEqual(['failed', '131053', 'Media upload error: could not fetch']);
  });

  it('keeps settings and lists entries in list order across pages', async () => {
    expect(await ledger.getSetting('salt')).toBeNull();
    await ledger.setSetting('salt', 's1');
    await ledger.setSetting('salt', 's2');
    expect(await ledger.getSetting('salt')).toBe('s2');
    const many = Array.from({ length: 2500 }, (_, index) => ({ key: `k${2500 - index}`, masked: 'm', line: 2500 - index + 1 }));
    expect(await ledger.addRecipients(many)).toBe(2500);
    const lines = (await all()).map((entry) => entry.line);
    expect(lines).toHaveLength(2500);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });
}
