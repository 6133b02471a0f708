import { describe, expect, it } from 'vitest';
import { parseStatuses } from './parse-statuses.js';
import { checkSignature, signBody, verificationAnswer } from './signature.js';

const SECRET = 'app-secret';

describe('signature', () => {
  const body = Buffer.from('{"entry":[]}');
  it('accepts the HMAC of the raw body and refuses anything else', () => {
    const header = signBody(body, SECRET);
    expect(checkSignature(body, header, SECRET)).toBe(true);
    expect(checkSignature(body, header.toUpperCase().replace('SHA256=', 'sha256='), SECRET)).toBe(true);
    expect(checkSignature(Buffer.from('{"entry": []}'), header, SECRET)).toBe(false);
    expect(checkSignature(body, signBody(body, 'other'), SECRET)).toBe(false);
    expect(checkSignature(body, undefined, SECRET)).toBe(false);
    expect(checkSignature(body, 'sha256=abc', SECRET)).toBe(false);
    expect(checkSignature(body, header.replace('sha256=', 'sha1='), SECRET)).toBe(false);
  });

  it('answers the subscription check only with the right token', () => {
    expect(verificationAnswer(new URLSearchParams('hub.mode=subscribe&hub.verify_token=T&hub.challenge=123'), 'T')).toBe('123');
    expect(verificationAnswer(new URLSearchParams('hub.mode=subscribe&hub.verify_token=X&hub.challenge=123'), 'T')).toBeNull();
    expect(verificationAnswer(new URLSearchParams('hub.mode=other&hub.verify_token=T&hub.challenge=123'), 'T')).toBeNull();
  });
});

describe('parseStatuses', () => {
  it('reads every status of every change, without the number, and skips what is not one', () => {
    const body = {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: 'WABA',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '15550001111', phone_number_id: '99' },
                statuses: [
                  { id: 'wamid.A', status: 'delivered', timestamp: '1700000010', recipient_id: '4915112345678' },
                  {
                    id: 'wamid.B',
                    status: 'failed',
                    timestamp: '1700000011',
                    recipient_id: '4915112345679',
                    errors: [{ code: 131053, title: 'Media upload error', error_data: { details: 'Unable to fetch the media' } }],
                  },
                  { id: 'wamid.C', status: 'deleted', timestamp: '1700000012', recipient_id: '4915112345670' },
                  { status: 'sent', timestamp: '1' },
                ],
              },
            },
            { field: 'messages', value: { messages: [{ id: 'incoming' }] } },
          ],
        },
      ],
    };
    const updates = parseStatuses(body);
    expect(updates).toEqual([
      { messageId: 'wamid.A', status: 'delivered', timestamp: 1700000010, errors: [] },
      { messageId: 'wamid.B', status: 'failed', timestamp: 1700000011, errors: [{ code: '131053', title: 'Media upload error', details: 'Unable to fetch the media' }] },
    ]);
    expect(JSON.stringify(updates)).not.toContain('4915112345678');
    expect(parseStatuses(null)).toEqual([]);
    expect(parseStatuses({ entry: 'x' })).toEqual([]);
  });
});
