import { isRecord, refusal, requireRecipient, type ProviderDefinition } from './provider.js';

type ZixflowCredential = 'apiKey' | 'phoneId';

/** Zixflow: links only, `{status:true,message}` on success and no message id. */
export const zixflow: ProviderDefinition<ZixflowCredential> = {
  name: 'zixflow',
  title: 'Zixflow',
  credentials: {
    apiKey: { env: 'ZIXFLOW_API_KEY', secret: true },
    phoneId: { env: 'ZIXFLOW_PHONE_ID', secret: false },
  },
  mediaIds: false,
  statusVideos: false,
  mediaIdLifetimeDays: null,
  defaultBaseUrl: () => 'https://api.zixflow.com',
  sendRequest(message, { credentials, baseUrl }) {
    if (message.media.kind !== 'link') throw new TypeError('zixflow takes links only');
    const video: Record<string, string> = { link: message.media.link };
    if (message.caption !== null) video.caption = message.caption;
    return {
      method: 'POST',
      url: `${baseUrl}/api/v1/campaign/whatsapp/message/send`,
      headers: { authorization: `Bearer ${credentials.apiKey}`, 'content-type': 'application/json' },
      body: {
        kind: 'json',
        // The documented defaults, written out: no inbox record, do not wait for the submission status.
        value: { to: requireRecipient(message), phoneId: credentials.phoneId, type: 'video', video, source: 'API', linkWithRecord: false, submissionStatus: false },
      },
    };
  },
  parseSendAnswer(answer) {
    // Zixflow can answer 200 with status:false, so the flag decides, not the HTTP status alone.
    if (answer.status >= 200 && answer.status < 300 && isRecord(answer.body) && answer.body.status === true) {
      return { ok: true, messageId: null, status: 'accepted' };
    }
    return refusal(answer);
  },
};
