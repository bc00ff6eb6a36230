// The links of the documentation: every relative link (and #anchor, by GitHub's slug rules) in README.md,
// CONTRIBUTING.md, bench/README.md and docs/**/*.md resolves in the repository; and every file a shipped doc
// links to is in the packed package (as `npm pack --dry-run --json` lists it), so the links work from
// node_modules/wfstore/. CONTRIBUTING.md and bench/README.md are not shipped: a shipped doc names them as
// text ("in the repository"), never as a link.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A link as written in a Markdown file: its target and the line it is on. */
interface Link {
  target: string;
  line: number;
}

/** The docs the link check covers, as paths relative to the repository root (with "/"). */
function documents(root: string): string[] {
  const found = ['README.md', 'CONTRIBUTING.md', 'bench/README.md'].filter((f) => existsSync(path.join(root, f)));
  const walk = (dir: string): void => {
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(rel);
      else if (entry.name.endsWith('.md')) found.push(rel);
    }
  };
  if (existsSync(path.join(root, 'docs'))) walk('docs');
  return found;
}

/** The lines of a Markdown text outside fenced code blocks, with their 1-based numbers. */
function proseLines(markdown: string): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  let fence: string | undefined;
  markdown.split('\n').forEach((text, i) => {
    const marker = /^\s*(`{3,}|~{3,})/.exec(text)?.[1];
    if (marker !== undefined) {
      if (fence === undefined) fence = marker[0];
      else if (marker[0] === fence) fence = undefined;
      return;
    }
    if (fence === undefined) out.push({ text, line: i + 1 });
  });
  return out;
}

/** Inline links and images, `[text](target)` and `![alt](target)`, outside code. */
export function linksOf(markdown: string): Link[] {
  const links: Link[] = [];
  for (const { text, line } of proseLines(markdown)) {
    const prose = text.replace(/`[^`]*`/g, 'code');
    for (const match of prose.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      links.push({ target: match[1] as string, line });
    }
  }
  return links;
}

/** GitHub's anchor for a heading (github-slugger): lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`/g, '')
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
}

/** Every anchor a Markdown text has: its headings' slugs, repeated ones numbered -1, -2, … as GitHub does. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const { text } of proseLines(markdown)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(text)?.[1];
    if (heading === undefined) continue;
    const base = slug(heading);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

const isExternal = (target: string): boolean => /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//');

/**
 * The broken relative links of the docs under `root`: a missing file, or an anchor no heading gives.
 * Each problem is "file:line: target: why".
 */
export function brokenLinks(root: string, docs: readonly string[]): string[] {
  const problems: string[] = [];
  for (const doc of docs) {
    const markdown = readFileSync(path.join(root, doc), 'utf8');
    for (const { target, line } of linksOf(markdown)) {
      if (isExternal(target)) continue;
      const [file = '', anchor] = target.split('#', 2);
      const resolved = file === '' ? doc : path.posix.normalize(path.posix.join(path.posix.dirname(doc), file));
      const where = `${doc}:${line}: ${target}`;
      if (resolved.startsWith('../') || path.posix.isAbsolute(resolved)) {
        problems.push(`${where}: leaves the repository`);
        continue;
      }
      const full = path.join(root, resolved);
      if (!existsSync(full)) {
        problems.push(`${where}: ${resolved} does not exist`);
        continue;
      }
      if (anchor === undefined || anchor === '') continue;
      if (!resolved.endsWith('.md') || statSync(full).isDirectory()) {
        problems.push(`${where}: an anchor into ${resolved}, which is not a Markdown file`);
      } else if (!anchorsOf(readFileSync(full, 'utf8')).has(decodeURIComponent(anchor))) {
        problems.push(`${where}: ${resolved} has no heading whose anchor is #${anchor}`);
      }
    }
  }
  return problems;
}

/** The relative links of shipped docs whose target is not in the package (`packed`: its files). */
export function unshippedTargets(root: string, packed: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  for (const doc of [...packed].filter((f) => f.endsWith('.md'))) {
    for (const { target, line } of linksOf(readFileSync(path.join(root, doc), 'utf8'))) {
      if (isExternal(target)) continue;
      const file = target.split('#', 1)[0] ?? '';
      if (file === '') continue;
      const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(doc), file));
      if (!packed.has(resolved)) problems.push(`${doc}:${line}: ${target}: ${resolved} is not in the package`);
    }
  }
  return problems;
}

/** The files `npm pack` would put in the package, relative to the root (no build: only the list). */
function packedFiles(): Set<string> {
  const json = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const [pack] = JSON.parse(json) as { files: { path: string }[] }[];
  assert.ok(pack !== undefined, 'npm pack --dry-run --json lists a package');
  return new Set(pack.files.map((f) => f.path));
}

describe('documentation links', () => {
  const docs = documents(ROOT);

  it('covers the README, CONTRIBUTING.md, bench/README.md and docs/', () => {
    for (const needed of ['README.md', 'CONTRIBUTING.md', 'bench/README.md', 'docs/contract.md']) {
      assert.ok(docs.includes(needed), `${needed} is checked`);
    }
  });

  it('every relative link and anchor resolves in the repository', () => {
    assert.deepEqual(brokenLinks(ROOT, docs), []);
  });

  it('the package ships the README and every doc under docs/, and what they link to', () => {
    const packed = packedFiles();
    const shipped = docs.filter((d) => d === 'README.md' || d.startsWith('docs/'));
    assert.deepEqual(
      shipped.filter((d) => !packed.has(d)),
      [],
      'shipped docs missing from package.json "files"',
    );
    assert.ok(packed.has('docs/report.png'), 'the report screenshot is in the package');
    assert.deepEqual(unshippedTargets(ROOT, packed), []);
  });

  it('the check finds what it is for: a missing file, a wrong anchor, an unshipped target', () => {
    const fixture = path.join(ROOT, 'test', 'docs', 'fixtures');
    const problems = brokenLinks(fixture, ['docs/broken.md']);
    assert.deepEqual(
      problems.map((p) => p.split(': ').slice(0, 2).join(': ')),
      ['docs/broken.md:5: missing.md', 'docs/broken.md:6: #no-such-heading', 'docs/broken.md:7: ../../outside.md'],
    );
    const unshipped = unshippedTargets(fixture, new Set(['docs/broken.md']));
    assert.ok(
      unshipped.some((p) => p.includes('CONTRIBUTING.md is not in the package')),
      unshipped.join('\n'),
    );
    assert.equal(slug('Expected failures: `--expect`'), 'expected-failures---expect');
    assert.equal(slug('Does the suite catch bugs?'), 'does-the-suite-catch-bugs');
    assert.deepEqual([...anchorsOf('# A\n\n## A\n\n```\n# not a heading\n```\n')], ['a', 'a-1']);
  });
});
