// `wfstore report merge <dir>… --out <dir>`: the shards of a matrix (one CI job per backend), each with its
// own report directory, merged into the findings of one run; the builder (build.ts) makes of them the
// report a single run would have written for the same results.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../package-root.js';
import { BACKEND_NAMES } from '../backends/registry.js';
import { loadRules } from '../conformance/clauses.js';
import type { ColumnSummary, ConformanceSummary, Findings, RequirementSummary } from './summary.js';

export class MergeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MergeError';
  }
}

async function readShard(dir: string): Promise<ConformanceSummary> {
  const file = path.join(dir, 'summary.json');
  const text = await fs.readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    const why = error.code === 'ENOENT' ? 'no such file: is this a report directory of a shard?' : error.message;
    throw new MergeError(`${file}: ${why}`);
  });
  let summary: ConformanceSummary;
  try {
    summary = JSON.parse(text) as ConformanceSummary;
  } catch (error) {
    throw new MergeError(`${file}: not JSON (${(error as Error).message.split('\n')[0]})`);
  }
  // A summary.json from before shards could be merged has no suite.
  if (typeof summary?.suite?.wfstore !== 'string' || !Array.isArray(summary.columns)) {
    throw new MergeError(`${file}: not a summary.json of a wfstore version that can merge (no "suite")`);
  }
  return summary;
}

/**
 * Every shard made by the same wfstore from the same features; no backend in two shards; every column
 * judged by the same contract version, unless mixed versions are allowed.
 */
function checkShards(shards: readonly { dir: string; summary: ConformanceSummary }[], allowMixed: boolean): void {
  const [first] = shards;
  const seen = new Map<string, string>();
  const judged = new Map<string, string>();
  for (const { dir, summary } of shards) {
    const file = path.join(dir, 'summary.json');
    if (summary.suite.wfstore !== first!.summary.suite.wfstore) {
      throw new MergeError(
        `${file}: written by wfstore ${summary.suite.wfstore}, the first shard by ${first!.summary.suite.wfstore}`,
      );
    }
    if (summary.suite.features !== first!.summary.suite.features) {
      throw new MergeError(
        `${file}: made from other scenarios (features ${summary.suite.features}) than the first shard ` +
          `(${first!.summary.suite.features}): another feature set, or another --tags/--name`,
      );
    }
    for (const column of summary.columns) {
      const other = seen.get(column.name);
      if (other !== undefined) throw new MergeError(`${file}: the backend "${column.name}" is also in ${other}`);
      seen.set(column.name, file);
      const version = column.contract?.judged ?? 'no version';
      const [otherVersion, where] = [...judged.entries()].find(([v]) => v !== version) ?? [];
      if (!allowMixed && otherVersion !== undefined) {
        throw new MergeError(
          `${file}: "${column.name}" was judged by contract ${version}, ${where} by ${otherVersion}; ` +
            'merge shards of one version, or give --allow-mixed-contracts',
        );
      }
      if (!judged.has(version)) judged.set(version, `"${column.name}" (${file})`);
    }
  }
}

/** The columns as a run of all of them lists them: reference backends in their order, then stores. */
function columnOrder(summaries: readonly ConformanceSummary[]): ColumnSummary[] {
  const rank = (c: ColumnSummary) => {
    const i = (BACKEND_NAMES as readonly string[]).indexOf(c.name);
    return c.kind === 'reference' && i >= 0 ? i : BACKEND_NAMES.length;
  };
  return summaries.flatMap((s) => s.columns).sort((a, b) => rank(a) - rank(b));
}

/** The requirements of all shards (which hold the same scenarios), with every shard's cells. */
function mergeRequirements(summaries: readonly ConformanceSummary[], columns: readonly string[]): RequirementSummary[] {
  const merged: RequirementSummary[] = [];
  for (const summary of summaries) {
    for (const requirement of summary.requirements) {
      let target = merged.find((r) => r.id === requirement.id);
      if (target === undefined) {
        target = { ...requirement, scenarios: [] };
        merged.push(target);
      }
      for (const scenario of requirement.scenarios) {
        const existing = target.scenarios.find((s) => s.key === scenario.key);
        if (existing === undefined) target.scenarios.push({ ...scenario, cells: { ...scenario.cells } });
        else Object.assign(existing.cells, scenario.cells);
      }
    }
  }
  // Cells in the columns' order, as in a single run's summary.json.
  for (const scenario of merged.flatMap((r) => r.scenarios)) {
    scenario.cells = Object.fromEntries(columns.map((c) => [c, scenario.cells[c]!]));
  }
  return merged;
}

/** The findings of several shards' report directories; each shard's files are copied beside them. */
export async function mergeShards(
  dirs: readonly string[],
  out: string,
  options: { allowMixedContracts?: boolean | undefined } = {},
): Promise<Findings> {
  if (dirs.length === 0) throw new MergeError('give the report directories of the shards to merge');
  const shards = await Promise.all(dirs.map(async (dir) => ({ dir, summary: await readShard(dir) })));
  checkShards(shards, options.allowMixedContracts === true);
  const summaries = shards.map((s) => s.summary);
  await fs.mkdir(out, { recursive: true });
  for (const { dir, summary } of shards) {
    for (const column of summary.columns) {
      const from = path.join(dir, column.name);
      if (path.resolve(from) !== path.resolve(out, column.name)) {
        await fs.cp(from, path.join(out, column.name), { recursive: true, force: true }).catch(() => {});
      }
    }
  }
  const started = summaries.map((s) => s.startedAt).sort()[0]!;
  // The rules in the contract's order, as a single run lists them.
  const order = [...(await loadRules(PACKAGE_ROOT)).keys()];
  const rules = [...new Map(summaries.flatMap((s) => s.rules).map((r) => [r.id, r])).values()];
  const columns = columnOrder(summaries);
  return {
    suite: summaries[0]!.suite,
    contract: summaries[0]!.contract,
    versions: Object.assign({}, ...summaries.map((s) => s.versions)),
    provisioning: summaries
      .flatMap((s) => s.provisioning)
      .filter((p, i, all) => all.findIndex((q) => JSON.stringify(q) === JSON.stringify(p)) === i),
    startedAt: started,
    durationMs: Math.max(...summaries.map((s) => s.durationMs)),
    interrupted: summaries.some((s) => s.interrupted),
    strict: summaries.some((s) => s.strict),
    columns,
    requirements: mergeRequirements(
      summaries,
      columns.map((c) => c.name),
    ),
    rules: rules.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id)),
    // What the shards were compared with stays (cells keep their marks), unless the merge compares again.
    staleExpectations: summaries
      .flatMap((s) => s.staleExpectations)
      .sort((a, b) => a.entry.localeCompare(b.entry, 'en', { numeric: true })),
    expectations: summaries.find((s) => s.expectations !== undefined)?.expectations,
    baseline: summaries.find((s) => s.baseline !== undefined)?.baseline,
  };
}
