/** Replaces every secret, as written and as URL-encoded, by `***`. */
export function redact(text: string, secrets: readonly string[]): string {
  let result = text;
  // Longest first, so a secret that contains another is replaced whole.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length === 0) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) result = result.split(form).join('***');
  }
  return redactUrls(result);
}

/** Query parameters of presigned links that let their holder act: the session token and the signature. */
const SECRET_QUERY = /([?&](?:X-Amz-Security-Token|X-Amz-Signature|X-Amz-Credential|Signature|token|access_token|sig)=)[^&#\s'"<>]*/gi;

/**
 * Hides what URLs in a text carry as credentials: the password of a `user:pass@` part and the session
 * token and signature of a presigned link. Host and path stay, so a message still says where.
 */
export function redactUrls(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/[^\s/?#:@'"<>]*):[^\s/?#@'"<>]*@/gi, '$1:***@').replace(SECRET_QUERY, '$1***');
}

/** Text from the far side, scrubbed of secrets first and only then cut, so no part of a secret survives the cut. */
export function redactAndClip(text: string, secrets: readonly string[], maxChars = 300): string {
  const clean = redact(text, secrets);
  const chars = Array.from(clean);
  return chars.length <= maxChars ? clean : `${chars.slice(0, maxChars).join('')}...`;
}
