/** Stable codes for a link Meta's fetcher would not take. */
export type LinkProblemCode = 'redirect' | 'status' | 'content-type' | 'content-length';

export interface LinkProblem {
  code: LinkProblemCode;
  message: string;
}

/** The parts of an answer that decide whether Meta can fetch a link. */
export interface LinkAnswer {
  status: number;
  location: string | null;
  contentType: string | null;
  contentLength: string | null;
}

export interface LinkExpectation {
  sizeBytes: number;
  contentType: string;
}

/**
 * What Meta would object to in the answer to a GET of the link: a redirect (its fetcher does not follow one to
 * a login page), another status, a MIME type other than the video's (with application/octet-stream the video
 * does not show), or a length that differs from the file. Pure.
 */
export function checkLinkAnswer(answer: LinkAnswer, expected: LinkExpectation): LinkProblem[] {
  if (answer.status >= 300 && answer.status < 400) {
    return [{ code: 'redirect', message: `the link redirects (HTTP ${answer.status}${answer.location ? ` to ${answer.location}` : ''}); it must answer 200 itself` }];
  }
  if (answer.status !== 200) return [{ code: 'status', message: `the link answers HTTP ${answer.status}, not 200` }];
  const problems: LinkProblem[] = [];
  const mediaType = answer.contentType?.split(';')[0]?.trim().toLowerCase() ?? null;
  if (mediaType !== expected.contentType) {
    problems.push({ code: 'content-type', message: `the link is served as ${mediaType ?? 'no Content-Type'}, not ${expected.contentType}` });
  }
  if (answer.contentLength === null || Number(answer.contentLength) !== expected.sizeBytes) {
    problems.push({
      code: 'content-length',
      message: `the link's Content-Length is ${answer.contentLength ?? 'missing'}, not the file's ${expected.sizeBytes} bytes`,
    });
  }
  return problems;
}

/** GETs the link as Meta would, without following redirects, and reads only the headers. */
export async function fetchLinkAnswer(url: string, options: { signal?: AbortSignal | undefined; timeoutMs: number }): Promise<LinkAnswer> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const response = await fetch(url, { redirect: 'manual', signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout });
  await response.body?.cancel();
  return {
    status: response.status,
    location: response.headers.get('location'),
    contentType: response.headers.get('content-type'),
    contentLength: response.headers.get('content-length'),
  };
}
