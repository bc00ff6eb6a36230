// The columns of the matrix: a reference backend or an initializer module, each with the capabilities it
// declares, which decide what does not apply to it and why.

import { LATEST_CONTRACT } from '../contract/versions.js';
import type { Capabilities, StoreTestInitializer } from './initializer.js';
import type { Judgement } from './judge.js';
import type { ColumnRun } from './run-column.js';
import type { ScenarioRow } from './scenarios.js';

export interface Column extends ColumnRun {
  kind: 'reference' | 'store';
  capabilities: Capabilities;
  /** Why a scenario does not apply to this column, or undefined when it does. */
  notApplicable(row: ScenarioRow): string | undefined;
  /** For a column of one server major (--postgres-versions): the major it runs on. */
  serverMajor?: number | undefined;
  /** For a column of --postgres-via: how it reaches its server (straight, or through a pooler). */
  serverVia?: 'direct' | 'pgbouncer' | undefined;
  /** The contract version and features it is judged by. */
  judgement: Judgement;
  /** The store's own name and version, as its initializer gives them. */
  about?: StoreTestInitializer['about'];
}

/** A reference backend implements the latest version. */
const LATEST: Judgement = { declared: LATEST_CONTRACT, judged: LATEST_CONTRACT, features: [] };

/** The judged version in a column's world parameters: the steps (engine, properties) follow it. */
function judgedParameters(judgement: Judgement): { contract: string } {
  return { contract: judgement.judged };
}

/** Tags that select what a scenario needs, and the capability it needs. */
const NEEDS: { tag: string; has: (c: Capabilities) => boolean; why: string }[] = [
  {
    tag: '@multi-process',
    has: (c) => c.multiProcess !== undefined,
    why: 'needs a store other processes can open (the initializer declares no supports.multiProcess)',
  },
  {
    tag: '@alongside',
    has: (c) => c.alongside,
    why:
      'needs a second store on the same data (the initializer has no openAlongside), without which no reader ' +
      'overlaps an update still in progress: docs/conformance.md, "What the suite cannot see"',
  },
  {
    tag: '@clock',
    has: (c) => c.clock,
    why: "moves the store's clock, and the initializer does not declare supports.clock",
  },
  {
    tag: '@ids',
    has: (c) => c.ids,
    why: "sets the store's generated ids, and the initializer does not declare supports.ids",
  },
];

function notApplicableTo(name: string, capabilities: Capabilities) {
  return (row: ScenarioRow): string | undefined => {
    const layout = row.tags.find((t) => t.startsWith('@backend:') && t !== `@backend:${name}`);
    if (layout !== undefined) return `checks the ${layout.slice('@backend:'.length)} backend's own storage`;
    return NEEDS.find((n) => row.tags.includes(n.tag) && !n.has(capabilities))?.why;
  };
}

/** Scenarios a column's cucumber run leaves out, as a tag expression (they are not applicable to it). */
export function excludedTags(name: string, capabilities: Capabilities, backends: readonly string[]): string {
  const layouts = backends.filter((b) => b !== name).map((b) => `not @backend:${b}`);
  const needs = NEEDS.filter((n) => !n.has(capabilities)).map((n) => `not ${n.tag}`);
  return [...layouts, ...needs].join(' and ');
}

export function referenceColumn(
  name: string,
  capabilities: Capabilities,
  backends: readonly string[],
  judgement: Judgement = LATEST,
): Column {
  return {
    name,
    kind: 'reference',
    capabilities,
    judgement,
    worldParameters: { backend: name, ...judgedParameters(judgement) },
    tags: excludedTags(name, capabilities, backends),
    notApplicable: notApplicableTo(name, capabilities),
  };
}

export function storeColumn(
  name: string,
  modulePath: string,
  capabilities: Capabilities,
  backends: readonly string[],
  judgement: Judgement,
  about?: StoreTestInitializer['about'],
): Column {
  return {
    name,
    kind: 'store',
    capabilities,
    judgement,
    about,
    worldParameters: { store: modulePath, ...judgedParameters(judgement) },
    tags: excludedTags('', capabilities, backends),
    notApplicable: notApplicableTo('', capabilities),
  };
}
