import { InvalidOptionError } from './errors.js';
import { redactUrls } from './http/redact.js';
import { parsePhoneNumber } from './phone.js';

/** WhatsApp's caption limit, in characters (Unicode code points, not UTF-16 units). */
export const MAX_CAPTION_CHARS = 1024;

/** Z-API's limit for a status video. */
export const MAX_STATUS_VIDEO_BYTES = 10_000_000;

/** The video of a message: a link Meta fetches, or the id of media uploaded to the provider. */
export type MediaRef = { kind: 'link'; link: string } | { kind: 'id'; id: string };

/** A validated message, ready for a provider's request builder. */
export interface OutgoingMessage {
  /** Recipient digits without `+`; null for a status video, which goes to the sender's own status. */
  to: string | null;
  media: MediaRef;
  caption: string | null;
}

/** What one video message says: to whom, which video (a link or a media id), and the caption. */
export interface MessageInput {
  to?: string | undefined;
  link?: string | undefined;
  mediaId?: string | undefined;
  caption?: string | undefined;
  /** A status video rather than a chat message (Z-API). */
  status?: boolean | undefined;
  /** Size of the video when known; checked against the status limit. */
  sizeBytes?: number | undefined;
}

export interface MessageRules {
  /** Whether the provider takes uploaded media ids, or links only. */
  mediaIds: boolean;
  /** Whether the provider can post status videos. */
  statusVideos: boolean;
  provider: string;
}

/** Checks a message against WhatsApp's rules and the provider's abilities before any request. Pure. */
export function prepareMessage(input: MessageInput, rules: MessageRules): OutgoingMessage {
  const status = input.status === true;
  if (status && !rules.statusVideos) throw new InvalidOptionError('status', () => `${rules.provider} cannot post status videos; only zapi can`);
  let to: string | null = null;
  if (status) {
    if (input.to !== undefined) throw new InvalidOptionError('to', () => 'a status video has no recipient: it goes to your own status; leave out to');
  } else {
    if (input.to === undefined || input.to === '') throw new InvalidOptionError('to', (name) => `${name('to')} is required: the recipient phone number`);
    to = parsePhoneNumber(input.to, 'to');
  }
  const media = mediaRef(input, rules);
  const caption = input.caption === undefined || input.caption === '' ? null : checkCaption(input.caption);
  const { sizeBytes } = input;
  if (status && sizeBytes !== undefined && sizeBytes > MAX_STATUS_VIDEO_BYTES) {
    throw new InvalidOptionError(
      'sizeBytes',
      () => `a status video may be at most ${MAX_STATUS_VIDEO_BYTES.toLocaleString('en-US')} bytes; this one is ${sizeBytes.toLocaleString('en-US')}`,
    );
  }
  return { to, media, caption };
}

function mediaRef(input: MessageInput, rules: MessageRules): MediaRef {
  if (input.link !== undefined && input.mediaId !== undefined) throw new InvalidOptionError('link', (name) => `give either ${name('link')} or ${name('mediaId')}, not both`);
  if (input.link !== undefined) return { kind: 'link', link: checkLink(input.link, 'link') };
  if (input.mediaId !== undefined) {
    if (!rules.mediaIds) throw new InvalidOptionError('mediaId', () => `${rules.provider} takes links only, not media ids`);
    return { kind: 'id', id: checkMediaId(input.mediaId) };
  }
  throw new InvalidOptionError('link', (name) => `a video is required: give ${name('link')} or ${name('mediaId')}`);
}

/** The caption, or an InvalidOptionError when it is over WhatsApp's limit. */
export function checkCaption(caption: string): string {
  // Code points, as WhatsApp counts: an emoji outside the BMP is one character, not two UTF-16 units.
  const length = Array.from(caption).length;
  if (length > MAX_CAPTION_CHARS) {
    throw new InvalidOptionError('caption', (name) => `${name('caption')} may be at most ${MAX_CAPTION_CHARS} characters; this one has ${length}`);
  }
  return caption;
}

/** An absolute http(s) URL, normalised; anything else is an InvalidOptionError naming `option`. */
export function checkLink(text: string, option: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidOptionError(option, (name) => `${name(option)} must be an http(s) URL; got '${redactUrls(text)}'`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InvalidOptionError(option, (name) => `${name(option)} must be an http(s) URL; got a ${url.protocol.replace(/:$/, '')} URL`);
  }
  return url.href;
}

/**
 * A provider's base URL: an http(s) URL without a user name or password, which fetch refuses to send
 * and which would otherwise be printed and recorded with the URL.
 */
export function checkBaseUrl(text: string, option: string): string {
  const href = checkLink(text, option);
  const url = new URL(href);
  if (url.username !== '' || url.password !== '') {
    throw new InvalidOptionError(option, (name) => `${name(option)} may not contain a user name or password; got '${redactUrls(text)}'. Pass credentials through the environment variables`);
  }
  return href;
}

function checkMediaId(id: string): string {
  if (!/^[\w.:=-]{1,256}$/.test(id)) throw new InvalidOptionError('mediaId', (name) => `${name('mediaId')} must be a provider media id (letters, digits, . _ : = -); got '${id}'`);
  return id;
}
