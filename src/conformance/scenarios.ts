// Every scenario of the feature files (outline examples expanded), with a key that is the same in
// every run: file, scenario line, example row line. The matrix's rows.

import { AstBuilder, compile, GherkinClassicTokenMatcher, Parser } from '@cucumber/gherkin';
import { type GherkinDocument, IdGenerator, type Pickle } from '@cucumber/messages';
import { parse as parseTagExpression } from '@cucumber/tag-expressions';
import { promises as fs, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { rulesOf } from './clauses.js';

export interface ScenarioRow {
  key: string;
  requirement: string;
  /** The contract rules it checks (its @WF-* tags). */
  rules: string[];
  feature: string;
  name: string;
  tags: string[];
  uri: string;
  line: number;
}

/** Lines of every node with an id (scenarios, example rows), to key pickles by position, not by id. */
export function lineIndex(document: GherkinDocument): Map<string, number> {
  const lines = new Map<string, number>();
  const visit = (children: NonNullable<GherkinDocument['feature']>['children']) => {
    for (const child of children) {
      if (child.rule) visit(child.rule.children);
      const scenario = child.scenario;
      if (!scenario) continue;
      lines.set(scenario.id, scenario.location.line);
      for (const examples of scenario.examples)
        for (const row of examples.tableBody) lines.set(row.id, row.location.line);
    }
  };
  if (document.feature) visit(document.feature.children);
  return lines;
}

export function scenarioKey(uri: string, pickle: Pick<Pickle, 'astNodeIds'>, lines: Map<string, number>): string {
  return [uri, ...pickle.astNodeIds.map((id) => lines.get(id) ?? '?')].join(':');
}

/** The seed's requirements first, then the contract's, then the rest. */
function rank(uri: string): number {
  return uri.includes('/requirements/') ? 0 : uri.includes('/contract/') ? 1 : 2;
}

export function requirementOf(tags: readonly string[]): string {
  return tags.find((t) => t.startsWith('@REQ-'))?.slice(1) ?? 'UNTAGGED';
}

/** The scenarios of one feature file (outline examples expanded); `uri` is relative to `root`. */
function scenariosOf(uri: string, text: string): ScenarioRow[] {
  const newId = IdGenerator.incrementing();
  const parser = new Parser(new AstBuilder(newId), new GherkinClassicTokenMatcher());
  const document = parser.parse(text);
  const lines = lineIndex(document);
  return compile(document, uri, newId).map((pickle) => {
    const tags = pickle.tags.map((t) => t.name);
    return {
      key: scenarioKey(uri, pickle, lines),
      requirement: requirementOf(tags),
      rules: rulesOf(tags),
      feature: document.feature?.name ?? uri,
      name: pickle.name,
      tags,
      uri,
      line: lines.get(pickle.astNodeIds.at(-1)!) ?? 0,
    };
  });
}

function featureFiles(names: readonly string[], featuresDir: string): string[] {
  return names
    .filter((f) => f.endsWith('.feature'))
    .map((f) => path.join(featuresDir, f).split(path.sep).join('/'))
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** Parses every .feature file under `featuresDir`; uris are relative to `root` as cucumber reports them. */
export async function loadScenarios(root: string, featuresDir = 'features'): Promise<ScenarioRow[]> {
  const files = featureFiles(await fs.readdir(path.join(root, featuresDir), { recursive: true }), featuresDir);
  const rows: ScenarioRow[] = [];
  for (const uri of files) rows.push(...scenariosOf(uri, await fs.readFile(path.join(root, uri), 'utf8')));
  return rows;
}

/** The same, synchronously (a test runner declares its tests synchronously), selected by a tag expression. */
export function loadScenariosSync(root: string, tags?: string, featuresDir = 'features'): ScenarioRow[] {
  const files = featureFiles(readdirSync(path.join(root, featuresDir), { recursive: true }) as string[], featuresDir);
  const selected = tags ? parseTagExpression(tags) : undefined;
  return files
    .flatMap((uri) => scenariosOf(uri, readFileSync(path.join(root, uri), 'utf8')))
    .filter((row) => selected?.evaluate(row.tags) ?? true);
}
