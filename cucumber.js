// Profiles: one per reference backend (`npx cucumber-js -p sqlite`), each running every scenario that
// applies to it (`default` is sqlite); `base`, which the matrix (`wfstore conformance`) runs with the
// store and tags of each column; `store`, for an initializer module
// (`--world-parameters '{"store":"./my.init.ts"}'`). The backends, and what does not apply to each, come
// from the backend descriptors (src/backends/registry.ts): the same list the matrix reads.

import { existsSync } from 'node:fs';

// In this repository the TypeScript sources run through tsx; the published package runs dist/.
const checkout = existsSync(new URL('./steps/support/world.ts', import.meta.url));

export default async function profiles() {
  if (checkout) (await import('tsx/esm/api')).register();
  const load = (module) => import(checkout ? `./src/${module}.ts` : `./dist/src/${module}.js`);
  const { BACKENDS } = await load('backends/registry');
  const { excludedTags } = await load('conformance/columns');
  const names = BACKENDS.map((b) => b.name);
  const base = {
    paths: ['features/**/*.feature'],
    import: checkout ? ['steps/support/register-tsx.mjs', 'steps/**/*.ts'] : ['dist/steps/**/*.js'],
  };
  const capabilities = (supports) => ({ ...supports, multiProcess: supports.multiProcess ? {} : undefined });
  const byBackend = Object.fromEntries(
    BACKENDS.map((b) => [
      b.name,
      { ...base, worldParameters: { backend: b.name }, tags: excludedTags(b.name, capabilities(b.supports), names) },
    ]),
  );
  return {
    default: byBackend.sqlite,
    base,
    ...byBackend,
    // An initializer module: no backend's own storage, and no capability assumed.
    store: { ...base, tags: excludedTags('', capabilities({}), names) },
  };
}
