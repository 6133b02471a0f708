import { formatBytes } from '@wavid/probe';
import type { ManifestEntry, ManifestVerdict, ReportInput } from '@wavid/pipeline';

function html(text: string | number | null | undefined): string {
  return String(text ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Only http(s) links become anchors; anything else is shown as text, never as a clickable script. */
function safeLink(link: string): string | null {
  try {
    const url = new URL(link);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

function findings(verdict: ManifestVerdict): string {
  const items = [
    ...verdict.violations.map((finding) => `<li class="violation"><code>${html(finding.code)}</code> ${html(finding.message)}</li>`),
    ...verdict.warnings.map((finding) => `<li class="warning"><code>${html(finding.code)}</code> ${html(finding.message)}</li>`),
  ];
  return items.length > 0 ? `<ul>${items.join('')}</ul>` : '<p class="clean">No problems found.</p>';
}

function side(title: string, verdict: ManifestVerdict | null): string {
  if (!verdict) return `<section><h3>${title}</h3><p class="muted">Not produced.</p></section>`;
  const badge = verdict.ok ? '<span class="badge ok">complies</span>' : '<span class="badge fail">does not comply</span>';
  return `<section><h3>${title} ${badge}</h3><p class="facts">${html(verdict.description)}</p>${findings(verdict)}</section>`;
}

function sizeBar(entry: ManifestEntry, cap: number): string {
  const size = entry.outputSizeBytes ?? entry.sizeBytes;
  const share = size / cap;
  const width = Math.min(100, Math.round(share * 100));
  const label = `${formatBytes(size)} of ${formatBytes(cap)} (${Math.round(share * 100)}%)`;
  return `<div class="size" title="${html(label)}"><div class="bar${share > 1 ? ' over' : ''}" style="width:${width}%"></div><span>${html(label)}</span></div>`;
}

function delivery(entry: ManifestEntry): string {
  const sent = entry.delivery;
  if (!sent) return '';
  const expiry = sent.expiresAt ? ` <span class="muted">until ${html(sent.expiresAt)}</span>` : '';
  if (sent.kind === 'media-id') return `<p class="delivery">Media id at ${html(sent.target)}: <code>${html(sent.mediaId)}</code>${expiry}</p>`;
  const href = sent.link ? safeLink(sent.link) : null;
  const shown = href ? `<a href="${html(href)}">${html(sent.link)}</a>` : html(sent.link);
  return `<p class="delivery">Link: ${shown}${expiry}</p>`;
}

function card(entry: ManifestEntry, cap: number, thumbnail: Uint8Array | undefined): string {
  const picture = thumbnail
    ? `<img alt="First frame of ${html(entry.input)}" src="data:image/jpeg;base64,${Buffer.from(thumbnail).toString('base64')}"><span class="play">&#9654;</span>`
    : '<div class="no-picture">no picture</div>';
  const action = entry.action
    ? `<p class="action"><span class="badge action-${entry.action}">${entry.action}</span> ${entry.reasons.map(html).join(' ')}</p>`
    : '';
  // An unreadable input's error repeats its only violation: say it once.
  const repeated = entry.before?.violations.some((violation) => violation.message === entry.error?.message) ?? false;
  const error = entry.error && !repeated ? `<p class="error"><code>${html(entry.error.code)}</code> ${html(entry.error.message)}</p>` : '';
  const deliveryError = entry.deliveryError ? `<p class="error">Not published: <code>${html(entry.deliveryError.code)}</code> ${html(entry.deliveryError.message)}</p>` : '';
  const status = entry.error || entry.deliveryError || !entry.after?.ok ? 'failed' : 'ready';
  return `<article class="card ${status}">
<div class="bubble">${picture}</div>
<div class="details">
<h2>${html(entry.input)}</h2>
${entry.output ? `<p class="muted">&rarr; ${html(entry.output)}</p>` : ''}
${action}${error}${deliveryError}
<div class="sides">${side('Before', entry.before)}${side('After', entry.after)}</div>
${sizeBar(entry, cap)}
${delivery(entry)}
</div>
</article>`;
}

const STYLE = `
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f0f2f5;color:#1c1e21}
header{background:#075e54;color:#fff;padding:20px 28px}header h1{margin:0 0 4px;font-size:22px}header p{margin:0;opacity:.85}
main{padding:20px 28px;display:grid;gap:16px;max-width:1100px}
.summary{display:flex;gap:12px;flex-wrap:wrap}.summary span{background:#fff;border-radius:8px;padding:8px 14px;box-shadow:0 1px 2px #0002}
.card{display:flex;gap:20px;background:#fff;border-radius:10px;padding:16px;box-shadow:0 1px 3px #0002;border-left:6px solid #25d366}
.card.failed{border-left-color:#d93025}
.bubble{position:relative;flex:0 0 220px;background:#dcf8c6;border-radius:10px;padding:6px;align-self:flex-start}
.bubble img{display:block;width:100%;border-radius:6px}.no-picture{height:124px;display:grid;place-items:center;color:#667}
.play{position:absolute;left:50%;top:50%;transform:translate(-50%,-50%);background:#0008;color:#fff;border-radius:50%;width:44px;height:44px;display:grid;place-items:center;font-size:18px}
.details{flex:1;min-width:0}.details h2{margin:0;font-size:17px;word-break:break-all}
.sides{display:grid;grid-template-columns:1fr 1fr;gap:14px}.sides h3{font-size:14px;margin:10px 0 4px}
.facts{margin:0 0 4px;color:#444}ul{margin:4px 0;padding-left:18px}li.violation code{color:#d93025}li.warning code{color:#b06000}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;font-weight:600;background:#e4e6eb}
.badge.ok{background:#d1f5dc;color:#0b6b2f}.badge.fail{background:#fde0dc;color:#a50e0e}
.action-copy{background:#e3f2fd}.action-remux{background:#fff3cd}.action-transcode{background:#f3e5f5}
.size{position:relative;background:#e4e6eb;border-radius:6px;height:22px;margin-top:10px;overflow:hidden}
.size .bar{background:#25d366;height:100%}.size .bar.over{background:#d93025}.size span{position:absolute;left:8px;top:1px;font-size:13px}
.error{color:#a50e0e}.muted{color:#65676b;margin:2px 0}.delivery{word-break:break-all}code{font-size:13px}
@media (max-width:700px){.card{flex-direction:column}.bubble{flex-basis:auto}.sides{grid-template-columns:1fr}}
`;

/** One self-contained HTML page: a card per video, pictures inlined, no script, readable without a server. */
export function reportHtml(input: ReportInput): string {
  const { manifest } = input;
  const entries = manifest.entries;
  const ready = entries.filter((entry) => !entry.error && !entry.deliveryError && entry.after?.ok).length;
  const counts = (action: string) => entries.filter((entry) => entry.action === action && !entry.error).length;
  const cards = entries.map((entry) => card(entry, manifest.settings.maxSizeBytes, input.thumbnails.get(entry.input))).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>wavid report</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>WhatsApp video report</h1><p>Profile ${html(manifest.settings.profile)}, cap ${html(formatBytes(manifest.settings.maxSizeBytes))} &middot; wavid ${html(manifest.settings.wavidVersion)} &middot; ${html(input.generatedAt.slice(0, 16).replace('T', ' '))} UTC</p></header>
<main>
<div class="summary"><span><strong>${entries.length}</strong> videos</span><span><strong>${ready}</strong> ready to send</span><span><strong>${entries.length - ready}</strong> failed</span><span>${counts('copy')} copied, ${counts('remux')} remuxed, ${counts('transcode')} re-encoded</span></div>
${cards}
</main>
</body>
</html>
`;
}
