import { metaTemplateMessage } from '../template.js';
import { isRecord, metaVideoMessage, refusal, requireRecipient, stringField, type ExtraInfo, type HttpRequest, type ProviderDefinition, type SendContext } from './provider.js';

type KaleyraCredential = 'sid' | 'apiKey' | 'sender' | 'region';

/** Kaleyra's API host for each region (pod). */
export const KALEYRA_HOSTS = {
  in: 'https://api.in.kaleyra.io',
  sg: 'https://api.kaleyra.io',
  eu: 'https://api.eu.kaleyra.io',
  na: 'https://api.na.kaleyra.ai',
} as const;

/**
 * Kaleyra's WhatsApp API v2: the Meta message object wrapped in `messaging_object`, the business number in the
 * path, numbers written with `+`, an `api-key` header, and 202 `{code:"WA202", data:{message_id}}` on success.
 */
export const kaleyra: ProviderDefinition<KaleyraCredential> = {
  name: 'kaleyra',
  title: 'Kaleyra',
  credentials: {
    sid: { env: 'KALEYRA_SID', secret: false },
    apiKey: { env: 'KALEYRA_API_KEY', secret: true },
    sender: { env: 'KALEYRA_SENDER', secret: false, phoneNumber: true },
    region: { env: 'KALEYRA_REGION', secret: false, choices: Object.keys(KALEYRA_HOSTS), hostOnly: true },
  },
  mediaIds: true,
  statusVideos: false,
  // Kaleyra hands uploads to Meta's media store, where ids last 30 days.
  mediaIdLifetimeDays: 30,
  defaultBaseUrl: (credentials) => KALEYRA_HOSTS[credentials.region as keyof typeof KALEYRA_HOSTS],
  sendRequest(message, context) {
    return messagesRequest(metaVideoMessage(message, `+${requireRecipient(message)}`), context);
  },
  templateRequest(message, context) {
    return messagesRequest(metaTemplateMessage(message, `+${message.to}`), context);
  },
  parseSendAnswer(answer) {
    const data = isRecord(answer.body) ? answer.body.data : undefined;
    const messageId = answer.status >= 200 && answer.status < 300 ? stringField(data, 'message_id') : null;
    return messageId ? { ok: true, messageId, status: 'accepted' } : refusal(answer);
  },
  mediaRequest(file, { credentials, baseUrl }) {
    return {
      method: 'POST',
      url: `${senderUrl(baseUrl, credentials)}/media`,
      headers: { 'api-key': credentials.apiKey },
      body: { kind: 'multipart', fields: [['type', file.contentType]], file: { field: 'file', ...file } },
    };
  },
  parseMediaAnswer(answer) {
    // The upload answer is not in Kaleyra's reference; read the id wherever its other answers put one.
    const body = answer.body;
    const data = isRecord(body) ? body.data : undefined;
    const mediaId =
      answer.status >= 200 && answer.status < 300
        ? (stringField(data, 'media_id') ?? stringField(data, 'id') ?? stringField(body, 'media_id') ?? stringField(body, 'id'))
        : null;
    return mediaId ? { ok: true, mediaId } : refusal(answer);
  },
};

/** The Meta message object wrapped in `messaging_object`, with `extra_info` when given. */
function messagesRequest(messagingObject: Record<string, unknown>, { credentials, baseUrl, extraInfo }: SendContext<KaleyraCredential>): HttpRequest {
  const value: Record<string, unknown> = { messaging_object: messagingObject };
  if (extraInfo) value.extra_info = extraInfoBody(extraInfo);
  return {
    method: 'POST',
    url: `${senderUrl(baseUrl, credentials)}/messages`,
    headers: { 'api-key': credentials.apiKey, 'content-type': 'application/json', 'cache-control': 'no-cache' },
    body: { kind: 'json', value },
  };
}

/** `credentials.sender` holds the digits of the business number, checked as E.164 when credentials were resolved. */
function senderUrl(baseUrl: string, credentials: Record<KaleyraCredential, string>): string {
  // The number keeps its '+' in the path, as in Kaleyra's examples; '+' is a plain character in a URL path.
  return `${baseUrl}/v2/${encodeURIComponent(credentials.sid)}/whatsapp/+${credentials.sender}`;
}

function extraInfoBody(extraInfo: ExtraInfo): Record<string, string> {
  const body: Record<string, string> = {};
  if (extraInfo.ref !== undefined) body.ref = extraInfo.ref;
  if (extraInfo.ref1 !== undefined) body.ref1 = extraInfo.ref1;
  if (extraInfo.ref2 !== undefined) body.ref2 = extraInfo.ref2;
  if (extraInfo.waSource !== undefined) body.wa_source = extraInfo.waSource;
  return body;
}
