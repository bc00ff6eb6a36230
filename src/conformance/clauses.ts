// The contract's rules, read from docs/contract.md (shipped in the package): id, level, the version that
// first checked it, its optional feature, and text. The scenarios carry rule ids as tags (@WF-RUN-3); a
// scenario is at MUST level when any of its rules is, and belongs to the latest version among its rules.

import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { CONTRACT_VERSIONS, type ContractVersion, compareVersions, LATEST_CONTRACT } from '../contract/versions.js';

export { CONTRACT_VERSIONS, type ContractVersion, compareVersions, LATEST_CONTRACT };

export type RuleLevel = 'MUST' | 'SHOULD';

export interface Rule {
  id: string;
  level: RuleLevel;
  /** The rule's text, Markdown as written. */
  text: string;
  /** True for rules that bind only the reference backends. */
  referenceOnly: boolean;
  /** The contract version whose harness first checked it. */
  since: ContractVersion;
  /** The optional feature it belongs to; undefined for the core. */
  feature?: string | undefined;
}

export const CONTRACT_FILE = path.join('docs', 'contract.md');
export const RULE_TAG = /^@(WF-[A-Z]+-\d+)$/;

// "- **WF-RUN-3** (MUST, since 1.0) text…", "(MUST, reference backends, since 1.1)" or
// "(MUST, since 1.2, feature retention)", continued on indented lines.
const RULE_LINE = new RegExp(
  String.raw`^- \*\*(WF-[A-Z]+-\d+)\*\* \((MUST|SHOULD)(, reference backends)?, since (\d+\.\d+)` +
    String.raw`(?:, feature ([a-z][a-z0-9-]*))?\) (.*)$`,
);
/** A line that starts a rule, whether or not its parenthesis is well formed. */
const RULE_START = /^- \*\*(WF-[A-Z]+-\d+)\*\*/;

export function isContractVersion(value: unknown): value is ContractVersion {
  return typeof value === 'string' && (CONTRACT_VERSIONS as readonly string[]).includes(value);
}

export function parseRules(markdown: string): Rule[] {
  const rules: Rule[] = [];
  let current: Rule | undefined;
  for (const line of markdown.split('\n')) {
    const match = RULE_LINE.exec(line);
    if (match) {
      const since = match[4]!;
      if (!isContractVersion(since)) throw new Error(`${match[1]}: "since ${since}" is not a contract version`);
      current = {
        id: match[1]!,
        level: match[2] as RuleLevel,
        text: match[6]!,
        referenceOnly: match[3] !== undefined,
        since,
        ...(match[5] === undefined ? {} : { feature: match[5] }),
      };
      rules.push(current);
    } else if (RULE_START.test(line)) {
      throw new Error(`a rule line without "(LEVEL, since VERSION)": ${line.slice(0, 60)}`);
    } else if (current && /^ {2,}\S/.test(line)) {
      current.text += ` ${line.trim()}`;
    } else {
      current = undefined;
    }
  }
  return rules;
}

export async function loadRules(packageRoot: string): Promise<Map<string, Rule>> {
  const rules = parseRules(await fs.readFile(path.join(packageRoot, CONTRACT_FILE), 'utf8'));
  return new Map(rules.map((r) => [r.id, r]));
}

/** The same, synchronously (a test runner declares its tests synchronously). */
export function loadRulesSync(packageRoot: string): Map<string, Rule> {
  const rules = parseRules(readFileSync(path.join(packageRoot, CONTRACT_FILE), 'utf8'));
  return new Map(rules.map((r) => [r.id, r]));
}

/** The rule ids a scenario's tags name. */
export function rulesOf(tags: readonly string[]): string[] {
  return tags.flatMap((t) => RULE_TAG.exec(t)?.[1] ?? []);
}

/** MUST when any rule is MUST; SHOULD only when every rule named is SHOULD. */
export function levelOf(ruleIds: readonly string[], rules: ReadonlyMap<string, Rule>): RuleLevel {
  const levels = ruleIds.map((id) => rules.get(id)?.level);
  return levels.length > 0 && levels.every((l) => l === 'SHOULD') ? 'SHOULD' : 'MUST';
}

/**
 * The rules a failure of the scenario breaks: its MUST rules (a scenario fails only on one; a SHOULD rule
 * it also checks is reported amber, never failed). All of them when none is MUST.
 */
export function failingRules(ruleIds: readonly string[], rules: ReadonlyMap<string, Rule> | readonly Rule[]): string[] {
  const byId = rules instanceof Map ? rules : new Map((rules as readonly Rule[]).map((r) => [r.id, r]));
  const must = ruleIds.filter((id) => byId.get(id)?.level !== 'SHOULD');
  return must.length > 0 ? must : [...ruleIds];
}

/** The version a scenario belongs to: the latest among its rules' (a rule not in the contract counts as 1.0). */
export function scenarioVersion(ruleIds: readonly string[], rules: ReadonlyMap<string, Rule>): ContractVersion {
  let version: ContractVersion = CONTRACT_VERSIONS[0];
  for (const id of ruleIds) {
    const since = rules.get(id)?.since;
    if (since !== undefined && compareVersions(since, version) > 0) version = since;
  }
  return version;
}

/** The optional features a scenario's rules belong to (none for a core scenario). */
export function scenarioFeatures(ruleIds: readonly string[], rules: ReadonlyMap<string, Rule>): string[] {
  return [...new Set(ruleIds.flatMap((id) => rules.get(id)?.feature ?? []))];
}

/** The anchor of a rule in docs/contract.md (and in the report's rule list). */
export function ruleAnchor(id: string): string {
  return id.toLowerCase();
}

/** A rule's text as plain words: Markdown links, emphasis and code marks taken out. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\*\*([^*]*)\*\*/g, '$1')
    .replace(/(^|[^\w*])\*([^*]+)\*(?!\w)/g, '$1$2')
    .replaceAll('`', '');
}
