import type { CampaignReport } from './campaign-report.js';

/** The report as one self-contained HTML page: no scripts, no outside resources, numbers masked. Pure. */
export function reportHtml(name: string, report: CampaignReport, generatedAt: Date): string {
  const s = report.states;
  const d = report.delivery;
  const row = (label: string, value: number) => `<tr><th>${escape(label)}</th><td>${value}</td></tr>`;
  const failures = report.failures
    .map(
      (failure) =>
        `<tr><td><code>${escape(failure.code)}</code></td><td>${failure.where === 'send' ? 'when sent' : 'after acceptance'}</td><td>${failure.count}</td><td>${escape(failure.explanation)}<br><small>e.g. ${escape(failure.examples.join(', '))}</small></td></tr>`,
    )
    .join('\n');
  const unknown = report.unknown.map((item) => `<li>${escape(item.masked)} (line ${item.line})${item.code ? `: <code>${escape(item.code)}</code>` : ''}</li>`).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Campaign ${escape(name)}</title>
<style>
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #1b1b1b; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; }
th, td { text-align: left; padding: 0.3rem 0.8rem; border-bottom: 1px solid #ddd; vertical-align: top; }
.cards { display: flex; gap: 2rem; flex-wrap: wrap; }
small { color: #555; }
</style>
</head>
<body>
<h1>Campaign ${escape(name)}</h1>
<p>${report.recipients} recipients. Report made ${escape(generatedAt.toISOString())}.</p>
<div class="cards">
<table><caption>Sending</caption>
${row('accepted by the provider', s.accepted)}
${row('failed when sent', s.failed)}
${row('unknown: may have received it', s.unknown)}
${row('not sent yet', s.pending + s.sending)}
</table>
<table><caption>Delivery of the accepted</caption>
${row('read', d.read)}
${row('delivered', d.delivered)}
${row('sent to the phone', d.sent)}
${row('failed after acceptance', d.failed)}
${row('no status yet', d.accepted)}
</table>
</div>
<h2>Failures by cause</h2>
${report.failures.length === 0 ? '<p>None.</p>' : `<table><tr><th>code</th><th>when</th><th>count</th><th>what it means</th></tr>\n${failures}\n</table>`}
<h2>Unknown outcomes</h2>
${report.unknown.length === 0 ? '<p>None.</p>' : `<p>Check whether these received the video before sending again with <code>--resend-unknown</code>.</p>\n<ul>\n${unknown}\n</ul>`}
</body>
</html>
`;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
