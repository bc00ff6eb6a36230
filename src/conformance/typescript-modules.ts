// TypeScript initializers load through tsx as ES modules, whatever the "type" of their package.json: written
// with `import` and `export default` as the docs show them, and importing the entry points of this package,
// whose top-level await no CommonJS module can require. A package.json that says "type": "commonjs" (as
// `npm init -y` writes it) would otherwise make tsx compile them to CommonJS.

import { register } from 'node:module';

/**
 * A resolve hook for Node's loader thread, registered before tsx's namespace (so tsx asks it, and keeps the format
 * it gives): a .ts file outside node_modules that the initializer imports, directly or through the files it
 * imports, is an ES module. It resolves such a file itself — `./x.ts`, `./x.js` or `./x` for x.ts — before any
 * later hook (the tsx this repository's checkout registers for all of its sources) can make it CommonJS. The
 * initializer is what this file imports itself.
 */
const HOOKS = `
import { statSync } from 'node:fs';
const graph = new Set();
let loader;
export function initialize(data) { loader = data.loader; }
const withoutQuery = (url) => url.replace(/[?#].*$/, '');
const isFile = (url) => { try { return statSync(url).isFile(); } catch { return false; } };
function typeScriptFile(specifier, parentURL) {
  if (!/^(\\.{1,2}\\/|\\/|file:)/.test(specifier)) return undefined;
  const target = new URL(specifier, parentURL);
  if (target.pathname.includes('/node_modules/')) return undefined;
  const path = target.pathname;
  const candidates = path.endsWith('.ts') ? [path] : path.endsWith('.js') ? [path.slice(0, -3) + '.ts']
    : /\\.[^/]*$/.test(path) ? [] : [path + '.ts'];
  for (const candidate of candidates) {
    const url = new URL(target);
    url.pathname = candidate;
    if (isFile(url)) return url;
  }
  return undefined;
}
export async function resolve(specifier, context, next) {
  const parent = context.parentURL === undefined ? undefined : withoutQuery(context.parentURL);
  if (parent === undefined || !(parent === loader || graph.has(parent))) return next(specifier, context);
  const own = typeScriptFile(specifier, context.parentURL);
  if (own !== undefined) {
    graph.add(withoutQuery(own.href));
    return { url: own.href, format: 'module', shortCircuit: true };
  }
  const result = await next(specifier, context);
  const url = withoutQuery(result.url);
  if (url.startsWith('file:') && !url.includes('/node_modules/')) graph.add(url);
  return result;
}
`;

const withoutQuery = (url: string) => url.replace(/[?#].*$/, '');

type Importer = (specifier: string, parentURL: string) => Promise<unknown>;
let importer: Promise<Importer> | undefined;

/**
 * Imports a .ts or .mts module by its file URL, through tsx registered in its own namespace: nothing else in
 * the process is compiled by it.
 */
export async function importTypeScript(url: string): Promise<unknown> {
  importer ??= (async () => {
    register(`data:text/javascript,${encodeURIComponent(HOOKS)}`, { data: { loader: withoutQuery(import.meta.url) } });
    const tsx = await import('tsx/esm/api');
    return tsx.register({ namespace: 'wfstore-initializer' }).import;
  })();
  return (await importer)(url, import.meta.url);
}
