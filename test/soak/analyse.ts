// From a phase's journals, what the store was asked and answered, checked against what it holds at the end.

import type { JournalLine, WriteKind } from './journal.js';

export interface Disruption {
  kind: 'restart fast' | 'restart immediate' | 'kill -9' | 'pgbouncer pause';
  /** Phase ms: the stop command sent (or the kill), and the server ready again (or the worker restarted). */
  at: number;
  until: number;
  worker?: number;
}

export interface WorkerSample {
  t: number;
  rss: number;
  heap: number;
  fds: number;
  sockets: number;
  lockWaitMs: number;
  readMs: number;
  /** Connections the server counts for this worker (PostgreSQL only). */
  serverConnections?: number | undefined;
}

export interface Incarnation {
  worker: number;
  generation: number;
  lines: JournalLine[];
  /** How it ended: cleanly, killed by the soak, or on its own (a crash). */
  ended: 'clean' | 'killed' | 'crashed' | 'still running';
  stderr: string;
}

interface Op {
  op: string;
  run: string;
  kind: WriteKind;
  sentAt: number;
  ackAt?: number;
  ms?: number;
  error?: { code: string; unknown: boolean; t: number; message: string };
  resolved: number[];
  /** The incarnation was killed before an answer came. */
  unanswered?: boolean;
}

export interface Invariant {
  name: string;
  ok: boolean;
  detail: string;
}

export interface PhaseResult {
  backend: string;
  via?: string;
  minutes: number;
  durationMs: number;
  workers: number;
  slots: number;
  disruptions: (Disruption & { callersSawMs: number | null; errors: number })[];
  writes: { acknowledged: number; acknowledgedEvents: number; runsCompleted: number };
  lost: number;
  duplicated: number;
  definiteFailuresWritten: number;
  unknown: {
    total: number;
    present: number;
    absent: number;
    duplicated: number;
    /** The worker's reading disagreed with the final one (a write that landed after it was read back). */
    changedAfterResolution: number;
    bySource: { errorUnknown: number; killedMidCall: number };
  };
  statusConflicts: number;
  errors: {
    byCode: Record<string, number>;
    insideOutage: number;
    outsideOutage: { code: string; t: number; message: string; worker: number }[];
  };
  latencyMs: { p50: number; p99: number; max: number; calls: number };
  throughput: { t: number; events: number }[];
  perWorker: {
    worker: number;
    generations: number;
    rssMiB: { minute1: number; peak: number; end: number; growth: number } | null;
    connections: { minute1: number; peak: number; end: number; growth: number } | null;
    longestStallMs: number;
    longestLockWaitMs: number;
    longestCrossProcessReadMs: number;
    /** The longest its own event loop was late (the process not given the CPU, or blocked). */
    longestLoopLagMs: number;
  }[];
  invariants: Invariant[];
}

/** Errors after the server is ready again still count as the outage's for this long (calls sent before). */
export const AFTER_READY_GRACE_MS = 1000;
const STALL_LIMIT_MS = 1000;
const FLAT = 0.1;
/** The window of a memory or connection median. */
const WINDOW_MS = 60_000;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

export function analysePhase(input: {
  backend: string;
  via?: string | undefined;
  minutes: number;
  durationMs: number;
  workers: number;
  slots: number;
  incarnations: Incarnation[];
  disruptions: Disruption[];
  serverConnections: { t: number; byWorker: number[] }[];
  /** Token → how many times it is in the store at the end. */
  found: Map<string, number>;
}): PhaseResult {
  const { incarnations, disruptions, found } = input;
  const outages = disruptions
    .filter((d) => d.kind !== 'kill -9')
    .map((d) => ({ from: d.at, to: d.until + AFTER_READY_GRACE_MS }));
  const inOutage = (from: number, to: number) => outages.some((o) => from <= o.to && to >= o.from);

  const ops = new Map<string, Op & { worker: number }>();
  const acksByWorker = new Map<number, number[]>();
  const recovered = new Set<string>();
  const errors: { code: string; t: number; ms: number; message: string; worker: number; run: string }[] = [];
  let runsCompleted = 0;
  for (const inc of incarnations) {
    const acks = acksByWorker.get(inc.worker) ?? [];
    acksByWorker.set(inc.worker, acks);
    const answered = new Set<string>();
    for (const line of inc.lines) {
      switch (line[0]) {
        case 'c':
          ops.set(line[1], {
            op: line[1],
            run: line[4],
            kind: line[3],
            sentAt: line[2],
            resolved: [],
            worker: inc.worker,
          });
          break;
        case 'a': {
          const op = ops.get(line[1])!;
          op.ackAt = line[2];
          op.ms = line[3];
          answered.add(line[1]);
          acks.push(line[2]);
          break;
        }
        case 'e': {
          const op = ops.get(line[1])!;
          op.error = { code: line[4], unknown: line[5], t: line[2], message: line[6] };
          answered.add(line[1]);
          errors.push({ code: line[4], t: line[2], ms: line[3], message: line[6], worker: inc.worker, run: op.run });
          break;
        }
        case 'r':
          errors.push({ code: line[4], t: line[2], ms: line[3], message: line[5], worker: inc.worker, run: line[1] });
          break;
        case 'u':
          ops.get(line[1])?.resolved.push(line[3]);
          break;
        case 'v':
          recovered.add(line[1]);
          break;
        case 'd':
          runsCompleted++;
          break;
      }
    }
    if (inc.ended !== 'clean') {
      for (const op of ops.values()) {
        if (op.worker === inc.worker && !answered.has(op.op) && op.ackAt === undefined && op.error === undefined) {
          op.unanswered = true;
        }
      }
    }
  }

  // What the store holds against what was acknowledged.
  let acknowledged = 0;
  let acknowledgedEvents = 0;
  let lost = 0;
  let definiteFailuresWritten = 0;
  const unknown = {
    total: 0,
    present: 0,
    absent: 0,
    duplicated: 0,
    changedAfterResolution: 0,
    bySource: { errorUnknown: 0, killedMidCall: 0 },
  };
  for (const op of ops.values()) {
    const count = found.get(op.op) ?? 0;
    if (op.ackAt !== undefined) {
      acknowledged++;
      if (op.kind !== 'create') acknowledgedEvents++;
      if (count === 0) lost++;
    } else if (op.error !== undefined && !op.error.unknown) {
      if (count > 0) definiteFailuresWritten++;
    } else if (op.error?.unknown || op.unanswered) {
      unknown.total++;
      if (op.unanswered) unknown.bySource.killedMidCall++;
      else unknown.bySource.errorUnknown++;
      if (count === 0) unknown.absent++;
      else if (count === 1) unknown.present++;
      else unknown.duplicated++;
      if (op.resolved.some((r) => r !== count)) unknown.changedAfterResolution++;
    }
  }
  const duplicated = [...found.values()].filter((n) => n > 1).length;

  // Errors: BACKEND_FAILURE inside an outage; STATUS_CONFLICT only on a run being recovered.
  const byCode: Record<string, number> = {};
  let insideOutage = 0;
  let statusConflicts = 0;
  const outside: PhaseResult['errors']['outsideOutage'] = [];
  for (const e of errors) {
    byCode[e.code] = (byCode[e.code] ?? 0) + 1;
    if (e.code === 'STATUS_CONFLICT' && recovered.has(e.run)) {
      statusConflicts++;
      continue;
    }
    if (e.code === 'BACKEND_FAILURE' && inOutage(e.t - e.ms, e.t)) insideOutage++;
    else outside.push({ code: e.code, t: e.t, message: e.message, worker: e.worker });
  }

  // Latency of acknowledged writes outside outages; throughput per second.
  const latencies: number[] = [];
  const perSecond = new Map<number, number>();
  for (const op of ops.values()) {
    if (op.ackAt === undefined) continue;
    if (op.kind !== 'create')
      perSecond.set(Math.floor(op.ackAt / 1000), (perSecond.get(Math.floor(op.ackAt / 1000)) ?? 0) + 1);
    if (!inOutage(op.ackAt - op.ms!, op.ackAt)) latencies.push(op.ms!);
  }
  latencies.sort((a, b) => a - b);
  const seconds = Math.ceil(input.durationMs / 1000);
  const throughput = Array.from({ length: seconds }, (_, t) => ({ t, events: perSecond.get(t) ?? 0 }));

  // Each disruption as the callers saw it: from the last acknowledgement before its first error to the first
  // one after its last error, the longest over the workers; for a kill, the killed worker's own gap.
  const shown = disruptions.map((d) => {
    const windowErrors = errors.filter((e) => e.t >= d.at && e.t <= d.until + AFTER_READY_GRACE_MS);
    let callersSawMs: number | null = null;
    for (const [worker, acks] of acksByWorker) {
      if (d.kind === 'kill -9' && worker !== d.worker) continue;
      const mine = windowErrors.filter((e) => e.worker === worker);
      const from = d.kind === 'kill -9' ? d.at : mine.length > 0 ? Math.min(...mine.map((e) => e.t)) : undefined;
      if (from === undefined) continue;
      const to = d.kind === 'kill -9' ? d.at : Math.max(...mine.map((e) => e.t));
      const before = acks.filter((t) => t <= from).at(-1) ?? from;
      const after = acks.find((t) => t > to);
      if (after === undefined) continue;
      callersSawMs = Math.max(callersSawMs ?? 0, after - before);
    }
    return { ...d, callersSawMs, errors: windowErrors.length };
  });

  // Per worker: memory and connections from minute 1 (incarnations that lived 3 minutes), stalls, waits.
  const perWorker: PhaseResult['perWorker'] = [];
  const stallViolations: string[] = [];
  const growthViolations: string[] = [];
  for (let worker = 0; worker < input.workers; worker++) {
    const mine = incarnations.filter((i) => i.worker === worker);
    const samples = mine.flatMap((inc) =>
      inc.lines
        .filter((l): l is Extract<JournalLine, { 0: 's' }> => l[0] === 's')
        .map((l) => ({
          gen: inc.generation,
          t: l[1],
          rss: l[2],
          sockets: l[5],
          lockWaitMs: l[6],
          readMs: l[7],
          lagMs: l[8] ?? 0,
        })),
    );
    const longestLockWaitMs = Math.round(Math.max(0, ...samples.map((s) => s.lockWaitMs)));
    const longestCrossProcessReadMs = Math.round(Math.max(0, ...samples.map((s) => s.readMs)));
    const longestLoopLagMs = Math.max(0, ...samples.map((s) => s.lagMs));
    // A wait is the lock's only for the part the process could run: its own event loop's delay in that
    // second (the CPU given to other processes) is taken off before comparing with the limit.
    const lagDuring = (from: number, to: number) =>
      Math.max(0, ...samples.filter((s) => s.t > from && s.t <= to + 1000).map((s) => s.lagMs));
    const lockWaitBeyondLag: number = Math.max(0, ...samples.map((s) => s.lockWaitMs - s.lagMs));
    // The longest incarnation is the one whose memory is followed from minute 1.
    const spans = mine.map((inc) => {
      const ts = samples.filter((s) => s.gen === inc.generation).map((s) => s.t);
      return { gen: inc.generation, from: Math.min(...ts), to: Math.max(...ts) };
    });
    const longest = spans.sort((a, b) => b.to - b.from - (a.to - a.from))[0];
    let rssMiB: PhaseResult['perWorker'][number]['rssMiB'] = null;
    let connections: PhaseResult['perWorker'][number]['connections'] = null;
    // Minute 1's median and at least one more minute's to compare it with.
    if (longest !== undefined && longest.to - longest.from >= 60_000 + 2 * WINDOW_MS) {
      const own = samples.filter((s) => s.gen === longest.gen && !inOutage(s.t - 5000, s.t));
      const start = longest.from + 60_000;
      // Medians over a minute, so that a burst (thousands of errors in a 15 s outage) weighs as little as it lasts.
      const windowed = (values: { t: number; v: number }[]) => {
        // From minute 1, or the first minute after it with samples (an outage at minute 1 leaves none).
        const inWindow = (t: number) => values.filter((s) => s.t >= t && s.t < t + WINDOW_MS).map((s) => s.v);
        let first = start;
        while (first + WINDOW_MS <= longest.to && inWindow(first).length === 0) first += 5_000;
        const base = median(inWindow(first));
        let peak = base;
        for (let t = first; t + WINDOW_MS <= longest.to; t += 5_000) peak = Math.max(peak, median(inWindow(t)));
        const end = median(values.filter((s) => s.t > longest.to - WINDOW_MS).map((s) => s.v));
        // What stays is the last minute's level: a leak ends there at its highest; a tide of garbage between two
        // collections rises and falls back, and is shown as the peak.
        return { minute1: base, peak, end, growth: base === 0 ? 0 : end / base - 1 };
      };
      const mib = (v: number) => Math.round((v / 2 ** 20) * 10) / 10;
      const r = windowed(own.map((s) => ({ t: s.t, v: s.rss })));
      rssMiB = { minute1: mib(r.minute1), peak: mib(r.peak), end: mib(r.end), growth: r.growth };
      const server = input.serverConnections
        .filter((s) => !inOutage(s.t - 5000, s.t))
        .map((s) => ({ t: s.t, v: s.byWorker[worker] ?? 0 }));
      connections = windowed(server.length > 0 ? server : own.map((s) => ({ t: s.t, v: s.sockets })));
      if (rssMiB.growth > FLAT) growthViolations.push(`worker ${worker}: RSS +${Math.round(rssMiB.growth * 100)} %`);
      if (connections.growth > FLAT) {
        growthViolations.push(`worker ${worker}: connections +${Math.round(connections.growth * 100)} %`);
      }
    }
    // Stalls: gaps between this worker's acknowledgements that no outage (or its own kill) explains.
    const acks = [...(acksByWorker.get(worker) ?? [])].sort((a, b) => a - b);
    const excused = (from: number, to: number) =>
      inOutage(from, to) ||
      disruptions.some((d) => d.kind === 'kill -9' && d.worker === worker && from <= d.until + 5000 && to >= d.at);
    let longestStallMs = 0;
    for (let i = 1; i < acks.length; i++) {
      const [from, to] = [acks[i - 1]!, acks[i]!];
      if (to - from <= longestStallMs || excused(from, to)) continue;
      longestStallMs = to - from;
      if (longestStallMs - lagDuring(from, to) > STALL_LIMIT_MS) {
        const others = [...acksByWorker]
          .filter(([w]) => w !== worker)
          .some(([, a]) => a.some((t) => t > from && t < to));
        if (others) {
          const lag = lagDuring(from, to);
          stallViolations.push(
            `worker ${worker}: ${longestStallMs} ms at ${Math.round(from / 1000)} s (own loop delay ${lag} ms)`,
          );
        }
      }
    }
    if (lockWaitBeyondLag > STALL_LIMIT_MS) {
      stallViolations.push(
        `worker ${worker}: a lock wait ${Math.round(lockWaitBeyondLag)} ms beyond its own loop delay`,
      );
    }
    perWorker.push({
      worker,
      generations: mine.length,
      rssMiB,
      connections,
      longestStallMs,
      longestLockWaitMs,
      longestCrossProcessReadMs,
      longestLoopLagMs,
    });
  }

  const crashes = incarnations.filter((i) => i.ended === 'crashed' || i.ended === 'still running');
  const invariants: Invariant[] = [
    { name: 'nothing acknowledged was lost', ok: lost === 0, detail: `${lost} of ${acknowledged}` },
    { name: 'nothing written twice', ok: duplicated === 0, detail: `${duplicated} tokens found more than once` },
    {
      name: 'every unknown outcome resolved to present once or absent',
      ok: unknown.duplicated === 0 && unknown.changedAfterResolution === 0,
      detail:
        `${unknown.present} present, ${unknown.absent} absent, ${unknown.duplicated} twice, ` +
        `${unknown.changedAfterResolution} changed after being read back`,
    },
    {
      name: 'a call refused before it was sent wrote nothing',
      ok: definiteFailuresWritten === 0,
      detail: `${definiteFailuresWritten} written anyway`,
    },
    {
      name: 'only BACKEND_FAILURE, and only during an outage',
      ok: outside.length === 0,
      detail:
        outside.length === 0
          ? `${insideOutage} inside outages, ${statusConflicts} STATUS_CONFLICT on runs being recovered`
          : outside
              .slice(0, 5)
              .map((e) => `${e.code} at ${(e.t / 1000).toFixed(1)} s (worker ${e.worker}): ${e.message}`)
              .join('; '),
    },
    {
      name: 'no worker waits more than a second while others progress',
      ok: stallViolations.length === 0,
      detail:
        stallViolations.join('; ') || `longest stall ${Math.max(0, ...perWorker.map((w) => w.longestStallMs))} ms`,
    },
    {
      name: 'memory and connections flat (within 10 %) from minute 1',
      ok: growthViolations.length === 0,
      detail:
        growthViolations.join('; ') ||
        (perWorker.some((w) => w.rssMiB !== null) ? 'within 10 %' : 'no worker process lived 3 minutes (not checked)'),
    },
    {
      name: 'no worker process ended on its own',
      ok: crashes.length === 0,
      detail: crashes.map((c) => `worker ${c.worker}.${c.generation}: ${c.stderr.slice(-300)}`).join('; ') || 'none',
    },
  ];
  return {
    backend: input.backend,
    ...(input.via === undefined ? {} : { via: input.via }),
    minutes: input.minutes,
    durationMs: input.durationMs,
    workers: input.workers,
    slots: input.slots,
    disruptions: shown,
    writes: { acknowledged, acknowledgedEvents, runsCompleted },
    lost,
    duplicated,
    definiteFailuresWritten,
    unknown,
    statusConflicts,
    errors: { byCode, insideOutage, outsideOutage: outside.slice(0, 50) },
    latencyMs: {
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: latencies.at(-1) ?? 0,
      calls: latencies.length,
    },
    throughput,
    perWorker,
    invariants,
  };
}
