/** A plain explanation of an error code a send or a status webhook reported, for the report's groups. */
const EXPLANATIONS: Record<string, string> = {
  '131053':
    'The media could not be fetched or processed by WhatsApp. wavid checks and fixes the video before uploading it (container, H.264 profile, B-frames, audio, faststart, size), so this points at the link or media id: expired, not reachable, or not served as video/mp4.',
  '131026': 'Message undeliverable: the number is not on WhatsApp, has not accepted the latest terms, or runs an old WhatsApp version.',
  '131047': 'More than 24 hours since the recipient last wrote: only a template may be sent. Send the campaign as a template.',
  '131049': 'Meta did not deliver it to keep engagement healthy (too many marketing messages to this person lately). Do not retry at once.',
  '131050': 'The recipient stopped marketing messages from this business.',
  '131051': 'Unsupported message type.',
  '131056': 'Too many messages to the same recipient in a short time (pair rate limit).',
  '130429': 'Throughput limit of the sending number reached (messages per second).',
  '131031': 'The business account is locked.',
  '131042': 'A payment problem on the business account.',
  '131048': 'Spam rate limit: too many of this number’s messages were blocked or reported.',
  '132000': 'The number of template parameters does not match the template.',
  '132001': 'The template does not exist in this language, or is not approved.',
  '132012': 'A template parameter has the wrong format, e.g. a video sent to a template whose header is an IMAGE.',
  '132015': 'The template is paused for low quality.',
  '132016': 'The template is disabled.',
  '190': 'The access token has expired or is invalid.',
  E110: 'Kaleyra: the account balance is too low.',
  RBC001: 'Kaleyra: wrong SID or API key.',
  WA401: 'Kaleyra: the sending number is not on this account.',
  timeout: 'No answer in time; the message may or may not have been sent.',
  network: 'The connection dropped after the request was sent; the message may or may not have been sent.',
  'server-error': 'The provider answered with a server error; the message may or may not have been sent.',
  interrupted: 'wavid stopped after clearing this message to go out and before recording the answer; it may or may not have been sent.',
};

export function explainError(code: string | null): string {
  if (code === null) return 'No code was given.';
  return EXPLANATIONS[code] ?? 'See the provider’s error reference for this code.';
}
