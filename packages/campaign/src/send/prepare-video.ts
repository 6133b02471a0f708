import { prepare, type Destination, type LinkDestination } from '@wavid/pipeline';
import { hashFile, type ProviderName } from '@wavid/publish/without-store';
import type { CampaignLedger } from '../ledger/ledger.js';

/** Where the campaign's video is published: the provider's media store, or a bucket for link-only providers. */
export type VideoDestination = { kind: 'media-id' } | LinkDestination;

/** The prepared video as the ledger keeps it. */
export interface PreparedMedia {
  /** SHA-256 of the input the campaign was started with. */
  inputSha256: string;
  /** Provider and account (or bucket) it was published to; a change publishes again. */
  target: string;
  mediaId: string | null;
  link: string | null;
  /** ISO time the id or link stops working; null when it does not. */
  expiresAt: string | null;
}

export interface PrepareVideoContext {
  ledger: CampaignLedger;
  input: string;
  /** Where the compliant copy goes. */
  output: string;
  provider: ProviderName;
  target: string;
  destination: VideoDestination;
  credentials?: Readonly<Record<string, string | undefined>> | undefined;
  env?: Readonly<Record<string, string | undefined>> | undefined;
  baseUrl?: string | undefined;
  now: () => number;
  /** Publish again when the id expires within this. */
  renewMarginMs: number;
  signal?: AbortSignal | undefined;
}

const SETTING = 'media';

/**
 * The campaign's one media id (or link): the one in the ledger while it is valid for longer than the margin and
 * was made from the same input for the same account; otherwise the input is checked and fixed (a compliant file
 * is copied as is), published, and the result written to the ledger before any message uses it.
 */
export async function prepareCampaignVideo(context: PrepareVideoContext, options: { inputSha256?: string } = {}): Promise<{ media: PreparedMedia; reused: boolean }> {
  const inputSha256 = options.inputSha256 ?? (await hashFile(context.input, { signal: context.signal })).sha256;
  const stored = parseMedia(await context.ledger.getSetting(SETTING));
  if (stored && stored.inputSha256 === inputSha256 && stored.target === context.target && !expiresSoon(stored, context)) return { media: stored, reused: true };
  // The library's one preparation: probe, fix with the least work (a compliant file is copied), publish.
  const destination: Destination =
    context.destination.kind === 'media-id'
      ? { kind: 'media-id', provider: context.provider, credentials: context.credentials, baseUrl: context.baseUrl }
      : context.destination;
  const prepared = await prepare(context.input, { output: context.output, destination, env: context.env, signal: context.signal, now: context.now });
  const media: PreparedMedia = { inputSha256, target: context.target, mediaId: prepared.mediaId ?? null, link: prepared.link ?? null, expiresAt: prepared.expiresAt ?? null };
  await context.ledger.setSetting(SETTING, JSON.stringify(media));
  return { media, reused: false };
}

/** Whether the media must be published again before the next message. */
export function expiresSoon(media: PreparedMedia, context: Pick<PrepareVideoContext, 'now' | 'renewMarginMs'>): boolean {
  return media.expiresAt !== null && Date.parse(media.expiresAt) - context.now() < context.renewMarginMs;
}

function parseMedia(text: string | null): PreparedMedia | null {
  if (text === null) return null;
  try {
    return JSON.parse(text) as PreparedMedia;
  } catch {
    return null;
  }
}
