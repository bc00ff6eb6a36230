// The bench's outputs: a terminal table and a self-contained HTML page with bar charts.

export interface BenchRow {
  backend: string;
  operation: string;
  medianMs: number;
  p99Ms: number;
  opsPerSec: number;
  ops: number;
  /** Ours ÷ the raw driver, in ops/s. */
  vsRaw?: number;
  /** Ours ÷ the peer, in ops/s. */
  vsPeer?: number;
  coldMs?: number;
  note?: string;
  /** A row of the many-runs workload: how many runs at once, at which durability, whose writes. */
  manyRuns?: { runs: number; level: string; kind: 'ours' | 'raw' | 'peer' };
}

export interface BenchReport {
  date: string;
  durationMs: number;
  quick: boolean;
  machine: Record<string, unknown>;
  peer: string;
  rows: BenchRow[];
}

const ratio = (r: number | undefined) => (r === undefined ? '' : `${r.toFixed(2)}×`);

export function renderBenchTable(report: BenchReport): string {
  const header = ['backend', 'operation', 'median ms', 'p99 ms', 'ops/s', 'vs raw', 'vs peer'];
  const rows = report.rows.map((r) => [
    r.backend,
    r.operation,
    r.medianMs.toFixed(3),
    r.p99Ms.toFixed(3),
    String(Math.round(r.opsPerSec)),
    ratio(r.vsRaw),
    ratio(r.vsPeer),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i >= 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

const BENCH_STYLE =
  '<style>body{font-family:system-ui,sans-serif;max-width:1000px;margin:2rem auto;padding:0 1rem;color:#1d2330}' +
  'table{border-collapse:collapse;width:100%}' +
  'td,th{border:1px solid #e1e4ea;padding:.3rem .5rem;font-size:.85rem;text-align:left}' +
  'figure{margin:1.5rem 0}figcaption{font-weight:600;margin-bottom:.3rem}pre{background:#f5f6f8;padding:.5rem}' +
  '.legend span{display:inline-block;width:12px;height:12px;margin:0 .3rem 0 1rem}</style>';

/** One horizontal bar chart (SVG) of ops/s: ours, the raw driver and the peer, per backend. */
function chart(title: string, bars: { label: string; value: number; kind: 'ours' | 'raw' | 'peer' }[]): string {
  if (bars.length === 0) return '';
  const max = Math.max(...bars.map((b) => b.value));
  const height = bars.length * 26 + 10;
  const colour = { ours: '#2563eb', raw: '#9ca3af', peer: '#f59e0b' };
  const rects = bars
    .map((b, i) => {
      const width = Math.max(2, (b.value / max) * 420);
      const y = 5 + i * 26;
      return (
        `<text x="0" y="${y + 15}" font-size="12">${escapeHtml(b.label)}</text>` +
        `<rect x="360" y="${y}" width="${width.toFixed(1)}" height="20" fill="${colour[b.kind]}"/>` +
        `<text x="${(365 + width).toFixed(1)}" y="${y + 15}" font-size="12">${Math.round(b.value)} ops/s</text>`
      );
    })
    .join('');
  return (
    `<figure><figcaption>${escapeHtml(title)}</figcaption>` +
    `<svg width="900" height="${height}" role="img" aria-label="${escapeHtml(title)}">${rects}</svg></figure>`
  );
}

const BENCH_LEGEND =
  '<p class="legend"><span style="background:#2563eb"></span>wfstore ' +
  '<span style="background:#9ca3af"></span>raw driver, same row ' +
  '<span style="background:#f59e0b"></span>peer</p>';

/** Every figure, one row each. */
function figuresTable(rows: readonly BenchRow[]): string {
  const body = rows
    .map(
      (r) =>
        `<tr><td>${escapeHtml(r.backend)}</td><td>${escapeHtml(r.operation)}</td>` +
        `<td>${r.medianMs.toFixed(3)}</td><td>${r.p99Ms.toFixed(3)}</td><td>${Math.round(r.opsPerSec)}</td>` +
        `<td>${ratio(r.vsRaw)}</td><td>${ratio(r.vsPeer)}</td><td>${escapeHtml(r.note ?? '')}</td></tr>`,
    )
    .join('');
  return (
    '<table><thead><tr><th>backend</th><th>operation</th><th>median ms</th><th>p99 ms</th><th>ops/s</th>' +
    `<th>vs raw</th><th>vs peer</th><th>note</th></tr></thead><tbody>${body}</tbody></table>`
  );
}

const WHOSE = { ours: 'wfstore', raw: 'raw driver', peer: 'peer' };

/** Throughput against K for the many-runs workload: one chart per backend and durability, bars grouped by K. */
function manyRunsCharts(rows: readonly BenchRow[]): string[] {
  const many = rows.filter((r) => r.manyRuns !== undefined);
  const groups = [...new Set(many.map((r) => `${r.backend}\u0000${r.manyRuns!.level}`))];
  return groups.map((group) => {
    const [backend, level] = group.split('\u0000') as [string, string];
    const bars = many
      .filter((r) => r.backend === backend && r.manyRuns!.level === level)
      .map((r) => ({
        label: `K = ${r.manyRuns!.runs}: ${WHOSE[r.manyRuns!.kind]}`,
        value: r.opsPerSec,
        kind: r.manyRuns!.kind,
      }));
    return chart(`K runs appending at once on ${backend}${level ? ` (${level})` : ''}: total events/s`, bars);
  });
}

export function renderBenchHtml(report: BenchReport): string {
  const by = (operation: string) => report.rows.filter((r) => r.operation === operation);
  // One chart per backend and durability level, each on its own scale: ours, the raw driver, the peer.
  const stepCharts = [...new Set(report.rows.map((r) => r.backend))].flatMap((backend) =>
    ['', ', fsync=false', ', synchronous=normal'].map((level) => {
      const rows = report.rows.filter(
        (r) =>
          r.backend === backend &&
          (r.operation === `append (node_completed)${level}` ||
            r.operation === `raw driver: same row${level}` ||
            (r.operation.startsWith('peer:') &&
              (level === '' ? !r.operation.endsWith('same durability') : r.operation.endsWith('same durability')))),
      );
      if (rows.length < 2) return '';
      const bars = rows.map((r) => ({
        label: r.operation.startsWith('peer:')
          ? r.operation.slice(6)
          : r.operation.startsWith('raw')
            ? 'raw driver, same row'
            : 'wfstore createWorkflowEvent (node_completed)',
        value: r.opsPerSec,
        kind: (r.operation.startsWith('peer:') ? 'peer' : r.operation.startsWith('raw') ? 'raw' : 'ours') as
          | 'ours'
          | 'raw'
          | 'peer',
      }));
      return chart(`Persisting one step on ${backend}${level ? ` (${level.slice(2)})` : ''}, ops/s`, bars);
    }),
  );
  const simple = (operation: string) =>
    chart(
      operation,
      by(operation).map((r) => ({ label: r.backend, value: r.opsPerSec, kind: 'ours' as const })),
    );
  const operations = [...new Set(report.rows.filter((r) => r.manyRuns === undefined).map((r) => r.operation))].filter(
    (o) => !o.startsWith('peer:') && !o.startsWith('raw driver') && !o.startsWith('append (node_completed)'),
  );
  const quick = report.quick ? ' · quick run' : '';
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>wfstore benchmarks</title>\n' +
    BENCH_STYLE +
    '</head><body>\n' +
    '<h1>wfstore benchmarks</h1>\n' +
    `<p>${escapeHtml(report.date)} · ${(report.durationMs / 1000).toFixed(0)} s${quick} · ` +
    `peer: ${escapeHtml(report.peer)}</p>\n` +
    `<pre>${escapeHtml(JSON.stringify(report.machine, null, 2))}</pre>\n` +
    `${BENCH_LEGEND}\n` +
    `${stepCharts.join('\n')}\n` +
    `<h2>Many runs at once</h2>\n${manyRunsCharts(report.rows).join('\n')}\n` +
    `${operations.map(simple).join('\n')}\n` +
    '<h2>All figures</h2>\n' +
    `${figuresTable(report.rows)}\n` +
    '</body></html>\n'
  );
}
