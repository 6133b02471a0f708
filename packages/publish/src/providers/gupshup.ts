import { metaTemplateMessage } from '../template.js';
import { isRecord, joinUrl, metaVideoMessage, parseMetaMessagesAnswer, refusal, requireRecipient, stringField, type HttpRequest, type ProviderDefinition, type RequestContext } from './provider.js';

type GupshupCredential = 'appId' | 'appToken';

/** Gupshup's partner API: the Meta message object under `/partner/app/{APP_ID}/v3/message`, the app token as is. */
export const gupshup: ProviderDefinition<GupshupCredential> = {
  name: 'gupshup',
  title: 'Gupshup',
  credentials: {
    appId: { env: 'GUPSHUP_APP_ID', secret: false },
    appToken: { env: 'GUPSHUP_APP_TOKEN', secret: true },
  },
  mediaIds: true,
  statusVideos: false,
  // Gupshup states that uploaded media persist for 30 days.
  mediaIdLifetimeDays: 30,
  defaultBaseUrl: () => 'https://partner.gupshup.io',
  sendRequest(message, context) {
    return messagesRequest(metaVideoMessage(message, requireRecipient(message)), context);
  },
  templateRequest(message, context) {
    return messagesRequest(metaTemplateMessage(message, message.to), context);
  },
  parseSendAnswer: parseMetaMessagesAnswer,
  mediaRequest(file, { credentials, baseUrl }) {
    return {
      method: 'POST',
      url: joinUrl(baseUrl, 'partner', 'app', credentials.appId, 'media'),
      headers: { authorization: credentials.appToken },
      body: { kind: 'multipart', fields: [['file_type', file.contentType]], file: { field: 'file', ...file } },
    };
  },
  parseMediaAnswer(answer) {
    const ok = answer.status >= 200 && answer.status < 300 && isRecord(answer.body) && answer.body.status !== 'error';
    const mediaId = ok ? stringField(answer.body, 'mediaId') : null;
    return mediaId ? { ok: true, mediaId } : refusal(answer);
  },
};

function messagesRequest(value: Record<string, unknown>, { credentials, baseUrl }: RequestContext<GupshupCredential>): HttpRequest {
  return {
    method: 'POST',
    url: joinUrl(baseUrl, 'partner', 'app', credentials.appId, 'v3', 'message'),
    headers: { authorization: credentials.appToken, 'content-type': 'application/json' },
    body: { kind: 'json', value },
  };
}
