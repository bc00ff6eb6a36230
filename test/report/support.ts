// What the report tests share: the wfstore command in a child process, a report's files with what differs
// between two runs of the same results (the date and the timings, nothing else) taken out, and checks of
// JUnit XML against the format CI servers read.

import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Cell, ConformanceSummary, Findings } from '../../src/report/summary.js';

export const BIN = fileURLToPath(new URL('../../bin/wfstore.js', import.meta.url));

export interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** bin/wfstore.js as a user runs it, in its own process (several can run at once). */
export function wfstore(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<Ran> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    // NO_COLOR, not FORCE_COLOR=0: picocolors turns colours on when FORCE_COLOR is set at all.
    const { FORCE_COLOR: _, ...rest } = env;
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...rest, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr, ms: Date.now() - started }));
  });
}

/** Replaces every match of `pattern`, which must match exactly `count` times: nothing else is hidden. */
function replaceCounted(text: string, pattern: RegExp, by: string, count: number, what: string): string {
  const found = text.match(pattern)?.length ?? 0;
  assert.equal(found, count, `${what}: ${found} found, ${count} expected`);
  return text.replace(pattern, by);
}

/** index.html without its date, its duration and each column's duration. */
export function htmlWithoutTimes(html: string, columns: number): string {
  let out = replaceCounted(html, /<dt>Date<\/dt><dd>[0-9T:.Z-]+<\/dd>/g, '<dt>Date</dt><dd>DATE</dd>', 1, 'date');
  out = replaceCounted(out, /<dt>Duration<\/dt><dd>[0-9.]+ s/g, '<dt>Duration</dt><dd>T s', 1, 'duration');
  return replaceCounted(out, /<td>[0-9.]+ s<\/td>/g, '<td>T s</td>', columns, 'column durations');
}

/** summary.json without startedAt and durationMs (the run's, each column's, each cell's). */
export function summaryWithoutTimes(json: string): unknown {
  return JSON.parse(json, (key, value) => (key === 'startedAt' || key === 'durationMs' ? undefined : value));
}

/** junit.xml without its time and timestamp attributes. */
export function junitWithoutTimes(xml: string): string {
  return xml.replace(/ time="[0-9.]+"/g, ' time="T"').replace(/ timestamp="[0-9T:.-]+"/g, ' timestamp="DATE"');
}

export async function readReport(dir: string) {
  const read = (file: string) => fs.readFile(path.join(dir, file), 'utf8');
  return { html: await read('index.html'), summary: await read('summary.json'), junit: await read('junit.xml') };
}

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Character data with its references resolved; a bare & or a character XML 1.0 cannot hold throws. */
function decode(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the characters XML 1.0 forbids
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/.test(text)) throw new Error('a forbidden character');
  return text.replace(/&([#\w]*)(;?)/g, (_whole, ref: string, end: string) => {
    if (end !== ';') throw new Error(`a bare & in ${JSON.stringify(text.slice(0, 60))}`);
    if (ref.startsWith('#x')) return String.fromCodePoint(Number.parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(Number(ref.slice(1)));
    if (ENTITIES[ref] === undefined) throw new Error(`an unknown entity &${ref};`);
    return ENTITIES[ref];
  });
}

/** A small XML reader for what the JUnit file may hold: a declaration, elements, attributes, text. */
export function parseXml(xml: string): XmlElement {
  const body = xml.replace(/^<\?xml version="1\.0" encoding="UTF-8"\?>\s*/, '');
  const document: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack = [document];
  const token = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[\w.-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/y;
  while (token.lastIndex < body.length) {
    const at = token.lastIndex;
    const m = token.exec(body);
    if (m === null) throw new Error(`not well-formed at ${at}: ${JSON.stringify(body.slice(at, at + 60))}`);
    const top = stack.at(-1)!;
    if (m[5] !== undefined) {
      top.text += decode(m[5]);
    } else if (m[1]) {
      if (top.name !== m[2]) throw new Error(`</${m[2]}> closes <${top.name}>`);
      stack.pop();
    } else {
      const attributes: Record<string, string> = {};
      for (const [, name, value] of (m[3] ?? '').matchAll(/([\w.-]+)="([^"]*)"/g)) {
        if (name! in attributes) throw new Error(`<${m[2]}> has ${name} twice`);
        attributes[name!] = decode(value!);
      }
      const element: XmlElement = { name: m[2]!, attributes, children: [], text: '' };
      top.children.push(element);
      if (!m[4]) stack.push(element);
    }
  }
  if (stack.length !== 1) throw new Error(`<${stack.at(-1)!.name}> is not closed`);
  assert.equal(document.children.length, 1, 'one root element');
  assert.equal(document.text.trim(), '', 'no text outside the root');
  return document.children[0]!;
}

const INTEGER = /^(0|[1-9][0-9]*)$/;
const SECONDS = /^[0-9]+(\.[0-9]+)?$/;

function checkAttributes(e: XmlElement, required: readonly string[], numbers: readonly string[], where: string) {
  for (const name of required) assert.ok(name in e.attributes, `${where}: <${e.name}> has no ${name}`);
  for (const name of numbers) {
    const value = e.attributes[name];
    if (value === undefined) continue;
    assert.match(value, name === 'time' ? SECONDS : INTEGER, `${where}: <${e.name} ${name}="${value}">`);
  }
}

/** The children of an element, by name, in the order the schema allows them; nothing else. */
function checkOrder(e: XmlElement, order: readonly string[], where: string): void {
  let last = -1;
  for (const child of e.children) {
    const i = order.indexOf(child.name);
    assert.ok(i >= 0, `${where}: <${child.name}> inside <${e.name}>`);
    assert.ok(i >= last, `${where}: <${child.name}> after <${order[last]}> inside <${e.name}>`);
    last = i;
  }
}

const count = (cases: readonly XmlElement[], child: string) =>
  cases.filter((c) => c.children.some((x) => x.name === child)).length;

function checkTestcase(c: XmlElement, where: string): void {
  checkAttributes(c, ['name', 'classname', 'time'], ['time'], where);
  checkOrder(c, ['skipped', 'error', 'failure', 'system-out', 'system-err'], where);
  assert.ok(c.children.filter((x) => x.name === 'skipped').length <= 1, `${where}: one <skipped> at most`);
  for (const child of c.children) {
    assert.equal(child.children.length, 0, `${where}: <${child.name}> holds only text`);
    const allowed = child.name === 'failure' || child.name === 'error' ? ['message', 'type'] : [];
    for (const name of Object.keys(child.attributes)) {
      assert.ok(allowed.includes(name), `${where}: <${child.name} ${name}> (Jenkins' schema allows no such attribute)`);
    }
  }
}

/**
 * The common JUnit format as Jenkins and GitLab read it: <testsuites> of <testsuite name tests failures
 * errors skipped time> of <testcase name classname time> with <skipped>, <failure> (message, type),
 * <system-out>; the counts agree with the cases. Returns the suites.
 */
export function checkJunitStructure(xml: string): XmlElement[] {
  const root = parseXml(xml);
  assert.equal(root.name, 'testsuites');
  checkAttributes(root, [], ['tests', 'failures', 'errors', 'time'], 'testsuites');
  checkOrder(root, ['testsuite'], 'testsuites');
  let tests = 0;
  let failures = 0;
  let errors = 0;
  for (const suite of root.children) {
    const where = `testsuite "${suite.attributes.name}"`;
    const numbers = ['tests', 'failures', 'errors', 'skipped', 'time'];
    checkAttributes(suite, ['name', ...numbers], numbers, where);
    checkOrder(suite, ['properties', 'testcase', 'system-out', 'system-err'], where);
    const cases = suite.children.filter((c) => c.name === 'testcase');
    for (const c of cases) checkTestcase(c, `${where} › ${c.attributes.name}`);
    assert.equal(Number(suite.attributes.tests), cases.length, `${where}: tests`);
    assert.equal(Number(suite.attributes.failures), count(cases, 'failure'), `${where}: failures`);
    assert.equal(Number(suite.attributes.skipped), count(cases, 'skipped'), `${where}: skipped`);
    assert.ok(Number(suite.attributes.errors) >= count(cases, 'error'), `${where}: errors`);
    tests += cases.length;
    failures += Number(suite.attributes.failures);
    errors += Number(suite.attributes.errors);
  }
  if (root.attributes.tests !== undefined) assert.equal(Number(root.attributes.tests), tests, 'testsuites tests');
  if (root.attributes.failures !== undefined) assert.equal(Number(root.attributes.failures), failures);
  if (root.attributes.errors !== undefined) assert.equal(Number(root.attributes.errors), errors);
  return root.children;
}

/** Jenkins' junit-4.xsd, as cucumber's junit-xml-formatter keeps it (MIT; its source is in its header). */
export const JUNIT_XSD = fileURLToPath(new URL('./fixtures/jenkins-junit.xsd', import.meta.url));
export const XMLLINT = '/usr/bin/xmllint';
export const noXmllint = existsSync(XMLLINT) ? false : `no ${XMLLINT} (apt-get install libxml2-utils)`;

/** xmllint's verdict on a file against the XSD: '' when it validates, else what it said. */
export async function xsdErrors(file: string): Promise<string> {
  try {
    await promisify(execFile)(XMLLINT, ['--noout', '--schema', JUNIT_XSD, file]);
    return '';
  } catch (error) {
    return (error as { stderr?: string }).stderr ?? String(error);
  }
}

/** The column of the findings made by hand. */
export const STORE = 'my-store';

/** Findings made by hand: one store column, one requirement, a scenario per cell (rule WF-A-1, MUST). */
export function findings(cells: Cell[], strict = false): Findings {
  return {
    suite: { wfstore: '0.0.0', features: 'f' },
    contract: { latest: '1.1' },
    versions: { wfstore: '0.0.0', 'Node.js': 'v20' },
    provisioning: [],
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1000,
    interrupted: false,
    strict,
    columns: [
      {
        name: STORE,
        kind: 'store',
        contract: { declared: '1.1', judged: '1.1', features: [] },
        durationMs: 1000,
        reports: { html: 'h', messages: 'm', junit: 'j', stderr: 's' },
      },
    ],
    requirements: [
      {
        id: 'REQ-A',
        feature: 'A',
        scenarios: cells.map((cell, i) => ({
          key: `features/a.feature:${i + 1}`,
          name: `scenario ${i + 1}`,
          uri: 'features/a.feature',
          line: i + 1,
          tags: [],
          rules: ['WF-A-1'],
          level: 'MUST' as const,
          cells: { [STORE]: cell },
        })),
      },
    ],
    rules: [{ id: 'WF-A-1', level: 'MUST', text: 'a rule' }] as ConformanceSummary['rules'],
  };
}
