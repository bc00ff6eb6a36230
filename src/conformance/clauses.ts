// The contract's rules, read from docs/contract.md (shipped in the package): id, level and text. The
// scenarios carry rule ids as tags (@WF-RUN-3); a scenario is at MUST level when any of its rules is.

import { promises as fs } from 'node:fs';
import path from 'node:path';

export type RuleLevel = 'MUST' | 'SHOULD';

export interface Rule {
  id: string;
  level: RuleLevel;
  /** The rule's text, Markdown as written. */
  text: string;
  /** True for rules that bind only the reference backends. */
  referenceOnly: boolean;
}

export const CONTRACT_FILE = path.join('docs', 'contract.md');
export const RULE_TAG = /^@(WF-[A-Z]+-\d+)$/;

// "- **WF-RUN-3** (MUST) text…" or "(MUST, reference backends)", continued on indented lines.
const RULE_LINE = /^- \*\*(WF-[A-Z]+-\d+)\*\* \((MUST|SHOULD)(, reference backends)?\) (.*)$/;

export function parseRules(markdown: string): Rule[] {
  const rules: Rule[] = [];
  let current: Rule | undefined;
  for (const line of markdown.split('\n')) {
    const match = RULE_LINE.exec(line);
    if (match) {
      current = { id: match[1]!, level: match[2] as RuleLevel, text: match[4]!, referenceOnly: match[3] !== undefined };
      rules.push(current);
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

/** The rule ids a scenario's tags name. */
export function rulesOf(tags: readonly string[]): string[] {
  return tags.flatMap((t) => RULE_TAG.exec(t)?.[1] ?? []);
}

/** MUST when any rule is MUST; SHOULD only when every rule named is SHOULD. */
export function levelOf(ruleIds: readonly string[], rules: ReadonlyMap<string, Rule>): RuleLevel {
  const levels = ruleIds.map((id) => rules.get(id)?.level);
  return levels.length > 0 && levels.every((l) => l === 'SHOULD') ? 'SHOULD' : 'MUST';
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
