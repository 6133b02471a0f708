import type { OutgoingMessage } from '../message.js';
import type { OutgoingTemplate } from '../template.js';
import type { ProviderName } from './provider-name.js';

/** One credential of a provider: where it comes from and whether it must stay out of every output. */
export interface CredentialSpec {
  /** Environment variable read when the credential is not passed. */
  env: string;
  /** Secrets are scrubbed from every error message. */
  secret: boolean;
  /** Used when neither passed nor set. */
  default?: string;
  /** Allowed values. */
  choices?: readonly string[];
  /** Needed only to build the default host; a base URL makes it unnecessary. */
  hostOnly?: boolean;
  /** A phone number in E.164 (a business number in the URL path), checked when resolved and kept as its digits. */
  phoneNumber?: boolean;
}

/** A request described as data, so builders can be tested by comparing values. */
export interface HttpRequest {
  method: 'POST';
  url: string;
  headers: Record<string, string>;
  body: JsonBody | MultipartBody;
}

export interface JsonBody {
  kind: 'json';
  value: unknown;
}

/** A multipart form: text fields in order, then the file. */
export interface MultipartBody {
  kind: 'multipart';
  fields: [name: string, value: string][];
  file: { field: string; path: string; filename: string; contentType: string };
}

/** What came back: status, headers and the body parsed as JSON (or the text when it is not JSON). */
export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: unknown;
}

export type Refusal = { ok: false; providerCode: string | null; message: string };
export type SendOutcome = { ok: true; messageId: string | null; status: string } | Refusal;
export type MediaOutcome = { ok: true; mediaId: string } | Refusal;

/** A file to upload to a provider's media endpoint. */
export interface MediaFile {
  path: string;
  filename: string;
  contentType: string;
}

export interface RequestContext<K extends string> {
  credentials: Record<K, string>;
  /** Scheme, host and optional path prefix, without a trailing slash. */
  baseUrl: string;
}

/** Kaleyra's optional report fields (`extra_info`); other providers ignore them. */
export interface ExtraInfo {
  ref?: string;
  ref1?: string;
  ref2?: string;
  waSource?: string;
}

export interface SendContext<K extends string> extends RequestContext<K> {
  extraInfo?: ExtraInfo | undefined;
}

/**
 * Everything that differs between providers, as pure functions: credentials, host, the request for one message
 * or one media upload, and how to read the answers. The network shell is shared.
 */
export interface ProviderDefinition<K extends string = string> {
  name: ProviderName;
  /** Name for people: `Meta Cloud API`, `Z-API`. */
  title: string;
  credentials: Record<K, CredentialSpec>;
  /** Takes uploaded media ids (else links only). */
  mediaIds: boolean;
  /** Can post status videos. */
  statusVideos: boolean;
  /** How long an uploaded media id stays usable, in days, when the provider states it. */
  mediaIdLifetimeDays: number | null;
  defaultBaseUrl(credentials: Record<K, string>): string;
  sendRequest(message: OutgoingMessage, context: SendContext<K>): HttpRequest;
  /** A template message with a video header; absent for providers that send plain video messages only. */
  templateRequest?(message: OutgoingTemplate, context: SendContext<K>): HttpRequest;
  parseSendAnswer(answer: HttpAnswer): SendOutcome;
  mediaRequest?(file: MediaFile, context: RequestContext<K>): HttpRequest;
  parseMediaAnswer?(answer: HttpAnswer): MediaOutcome;
}

/** The Meta message object for one video, shared by Meta, 360dialog, Gupshup and Kaleyra. */
export function metaVideoMessage(message: OutgoingMessage, to: string): Record<string, unknown> {
  const video: Record<string, string> = message.media.kind === 'link' ? { link: message.media.link } : { id: message.media.id };
  if (message.caption !== null) video.caption = message.caption;
  return { messaging_product: 'whatsapp', recipient_type: 'individual', to, type: 'video', video };
}

export function requireRecipient(message: OutgoingMessage): string {
  if (message.to === null) throw new TypeError('this provider needs a recipient');
  return message.to;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function stringField(record: unknown, key: string): string | null {
  if (!isRecord(record)) return null;
  const value = record[key];
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return null;
}

/** `{messages:[{id, message_status?}]}`, the answer shape of Meta and the providers that pass it through. */
export function parseMetaMessagesAnswer(answer: HttpAnswer): SendOutcome {
  if (answer.status >= 200 && answer.status < 300 && isRecord(answer.body) && Array.isArray(answer.body.messages)) {
    const first: unknown = answer.body.messages[0];
    const messageId = stringField(first, 'id');
    if (messageId) return { ok: true, messageId, status: stringField(first, 'message_status') ?? 'accepted' };
  }
  return refusal(answer);
}

/**
 * Reads an error answer in any of the shapes the providers use: Meta's `{error:{code,message}}`, 360dialog's
 * `{error:"..."}`, Kaleyra's `{code,message}`, Gupshup's `{status:"error",message}`, Zixflow's `{status:false,message}`.
 */
export function refusal(answer: HttpAnswer): Refusal {
  const body = answer.body;
  if (typeof body === 'string') return { ok: false, providerCode: null, message: body.trim() || `HTTP ${answer.status}` };
  if (!isRecord(body)) return { ok: false, providerCode: null, message: `HTTP ${answer.status}` };
  // Kaleyra: a top-level code and message, with `error` holding per-field details.
  const topCode = stringField(body, 'code');
  if (topCode !== null && stringField(body, 'message') !== null) return { ok: false, providerCode: topCode, message: stringField(body, 'message') ?? '' };
  if (isRecord(body.error)) {
    const message = stringField(body.error, 'message') ?? stringField(body.error, 'error_user_msg') ?? stringField(body, 'message');
    const details = stringField(body.error, 'error_data') ?? stringField(body.error.error_data, 'details');
    return {
      ok: false,
      providerCode: stringField(body.error, 'code'),
      message: [message, details].filter(Boolean).join(': ') || firstStringIn(body.error) || `HTTP ${answer.status}`,
    };
  }
  const message = stringField(body, 'message') ?? stringField(body, 'error') ?? `HTTP ${answer.status}`;
  const code = stringField(body, 'code') ?? (body.status === 'error' ? 'error' : null);
  return { ok: false, providerCode: code, message };
}

function firstStringIn(record: Record<string, unknown>): string | null {
  for (const value of Object.values(record)) if (typeof value === 'string' && value) return value;
  return null;
}

export function joinUrl(baseUrl: string, ...segments: string[]): string {
  return `${baseUrl}/${segments.map((segment) => encodeURIComponent(segment)).join('/')}`;
}
