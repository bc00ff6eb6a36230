// reports/soak.html: per phase, the throughput over time with each disruption marked (inline SVG), the
// invariants and the figures.

import type { PhaseResult } from './analyse.js';

export interface SoakReport {
  startedAt: string;
  machine: { uptimeBefore: string; uptimeAfter: string; cpus: number; node: string };
  options: { minutes: number; workers: number; slots: number };
  phases: PhaseResult[];
  skipped: { phase: string; reason: string }[];
  ok: boolean;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function chart(phase: PhaseResult): string {
  const width = 900;
  const height = 220;
  const pad = { left: 50, right: 10, top: 20, bottom: 30 };
  const points = phase.throughput;
  const seconds = Math.max(1, points.length);
  const top = Math.max(1, ...points.map((p) => p.events));
  const x = (t: number) => pad.left + (t / seconds) * (width - pad.left - pad.right);
  const y = (v: number) => height - pad.bottom - (v / top) * (height - pad.top - pad.bottom);
  const bands = phase.disruptions
    .map((d) => {
      const from = x(d.at / 1000);
      const to = Math.max(from + 2, x(d.until / 1000));
      const colour = d.kind === 'kill -9' ? '#f0a030' : d.kind === 'pgbouncer pause' ? '#8060d0' : '#e04040';
      const label = d.kind === 'kill -9' ? `kill w${d.worker}` : d.kind.replace('restart ', '');
      return (
        `<rect x="${from.toFixed(1)}" y="${pad.top}" width="${(to - from).toFixed(1)}" ` +
        `height="${height - pad.top - pad.bottom}" fill="${colour}" opacity="0.35"><title>${esc(d.kind)} at ` +
        `${(d.at / 1000).toFixed(1)} s, callers saw ${d.callersSawMs ?? '?'} ms</title></rect>` +
        `<text x="${from.toFixed(1)}" y="${pad.top - 5}" font-size="9" fill="${colour}">${esc(label)}</text>`
      );
    })
    .join('');
  const line = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.t + 0.5).toFixed(1)},${y(p.events).toFixed(1)}`);
  const ticks = [];
  const step = seconds > 300 ? 60 : seconds > 60 ? 30 : 10;
  for (let t = 0; t <= seconds; t += step) {
    ticks.push(
      `<line x1="${x(t)}" x2="${x(t)}" y1="${height - pad.bottom}" y2="${height - pad.bottom + 4}" stroke="#444"/>` +
        `<text x="${x(t)}" y="${height - 8}" font-size="10" text-anchor="middle">${t} s</text>`,
    );
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img" ` +
    `aria-label="events acknowledged per second, ${esc(phase.backend)}">` +
    `<rect width="${width}" height="${height}" fill="#fff"/>${bands}` +
    `<path d="${line.join('')}" fill="none" stroke="#2060c0" stroke-width="1.2"/>` +
    `<line x1="${pad.left}" x2="${width - pad.right}" ` +
    `y1="${height - pad.bottom}" y2="${height - pad.bottom}" stroke="#444"/>` +
    `<line x1="${pad.left}" x2="${pad.left}" y1="${pad.top}" y2="${height - pad.bottom}" stroke="#444"/>` +
    `<text x="${pad.left - 4}" y="${pad.top + 4}" font-size="10" text-anchor="end">${top}</text>` +
    `<text x="${pad.left - 4}" y="${height - pad.bottom}" font-size="10" text-anchor="end">0</text>` +
    `<text x="12" y="${height / 2}" font-size="10" transform="rotate(-90 12 ${height / 2})" ` +
    'text-anchor="middle">events/s</text>' +
    `${ticks.join('')}</svg>`
  );
}

function table(rows: [string, string][]): string {
  return `<table>${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</table>`;
}

function phaseSection(phase: PhaseResult): string {
  const title = phase.via === undefined ? phase.backend : `${phase.backend} via ${phase.via}`;
  const invariants = phase.invariants
    .map((i) => `<li class="${i.ok ? 'ok' : 'fail'}">${i.ok ? '✔' : '✘'} ${esc(i.name)}: ${esc(i.detail)}</li>`)
    .join('');
  const u = phase.unknown;
  const figures = table([
    ['duration', `${(phase.durationMs / 1000).toFixed(0)} s, ${phase.workers} workers × ${phase.slots} runs at once`],
    [
      'acknowledged',
      `${phase.writes.acknowledged} writes (${phase.writes.acknowledgedEvents} events), ` +
        `${phase.writes.runsCompleted} runs completed`,
    ],
    ['lost / duplicated', `${phase.lost} / ${phase.duplicated}`],
    [
      'unknown outcomes',
      `${u.total} (${u.bySource.errorUnknown} from errors, ${u.bySource.killedMidCall} killed mid-call): ` +
        `${u.present} present once, ${u.absent} absent, ${u.duplicated} twice`,
    ],
    ['STATUS_CONFLICT on retried claims', String(phase.statusConflicts)],
    [
      'errors by code',
      Object.entries(phase.errors.byCode)
        .map(([code, n]) => `${code} ${n}`)
        .join(', ') || 'none',
    ],
    [
      'latency outside outages',
      `p50 ${phase.latencyMs.p50} ms, p99 ${phase.latencyMs.p99} ms, max ${phase.latencyMs.max} ms ` +
        `(${phase.latencyMs.calls} writes)`,
    ],
  ]);
  const disruptions = phase.disruptions
    .map(
      (d) =>
        `<tr><td>${(d.at / 1000).toFixed(1)} s</td>` +
        `<td>${esc(d.kind)}${d.worker === undefined ? '' : ` worker ${d.worker}`}</td>` +
        `<td>${d.until - d.at} ms</td><td>${d.callersSawMs ?? '–'} ms</td><td>${d.errors}</td></tr>`,
    )
    .join('');
  const workers = phase.perWorker
    .map((w) => {
      const rss = w.rssMiB === null ? '–' : `${w.rssMiB.minute1} → ${w.rssMiB.end} (peak ${w.rssMiB.peak})`;
      const conns =
        w.connections === null ? '–' : `${w.connections.minute1} → ${w.connections.end} (peak ${w.connections.peak})`;
      return (
        `<tr><td>${w.worker}</td><td>${w.generations}</td><td>${rss}</td><td>${conns}</td>` +
        `<td>${w.longestStallMs} ms</td><td>${w.longestLockWaitMs} ms</td>` +
        `<td>${w.longestCrossProcessReadMs} ms</td><td>${w.longestLoopLagMs} ms</td></tr>`
      );
    })
    .join('');
  return (
    `<section><h2>${esc(title)}</h2>${chart(phase)}\n` +
    `<ul class="inv">${invariants}</ul>${figures}\n` +
    '<h3>Disruptions</h3><table><tr><th>at</th><th>what</th><th>server down / worker restarted after</th>' +
    `<th>callers saw</th><th>errors</th></tr>${disruptions}</table>\n` +
    '<h3>Workers</h3><table><tr><th>worker</th><th>processes</th><th>RSS MiB from minute 1</th>' +
    '<th>connections (sockets) from minute 1</th><th>longest stall</th><th>longest lock wait</th>' +
    "<th>longest read of another's run</th><th>longest event-loop delay</th></tr>" +
    `${workers}</table></section>`
  );
}

export function renderSoak(report: SoakReport): string {
  const skipped = report.skipped.map((s) => `<li>${esc(s.phase)}: not run — ${esc(s.reason)}</li>`).join('');
  const verdict = report.ok
    ? '<span class="ok">every invariant held</span>'
    : '<span class="fail">an invariant failed</span>';
  const machine = `${report.machine.cpus} CPUs, Node ${esc(report.machine.node)}`;
  const cells = 'th,td{border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top}';
  return `<!doctype html><html><head><meta charset="utf-8"><title>wfstore soak</title><style>
body{font:13px/1.4 system-ui,sans-serif;margin:16px;color:#222;max-width:940px}
table{border-collapse:collapse;margin:6px 0}${cells}
th{background:#f4f4f4;font-weight:600}.ok{color:#186a18}.fail{color:#b01010;font-weight:600}ul.inv{padding-left:16px}
h2{margin:18px 0 4px}h3{margin:10px 0 2px;font-size:13px}</style></head><body>
<h1>wfstore soak — ${verdict}</h1>
<p>${esc(report.startedAt)}; ${report.options.minutes} min per phase; ${machine}.
Load before: <code>${esc(report.machine.uptimeBefore)}</code>; after: <code>${esc(report.machine.uptimeAfter)}</code>.
Red bands: PostgreSQL restarts (fast, immediate); orange: a worker killed with SIGKILL and restarted.</p>
${skipped === '' ? '' : `<ul>${skipped}</ul>`}
${report.phases.map(phaseSection).join('\n')}
</body></html>
`;
}
