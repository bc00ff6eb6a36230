// Profiles (each named export is one): a profile per reference backend, `npx cucumber-js -p sqlite`,
// each running every scenario that applies to it; the default profile is sqlite.
// Tags: @REQ-* names the requirement; @contract marks the contract's rules; @backend:<name> runs only on
// that backend; @durability needs reopenStore; @multi-process needs a store other processes can open.

import { existsSync } from 'node:fs';

const BACKENDS = ['filesystem', 'sqlite', 'postgres'];

// In this repository the TypeScript step definitions run through tsx; the published package runs the
// compiled ones from dist/.
const steps = existsSync(new URL('./steps/support/world.ts', import.meta.url))
  ? ['steps/support/register-tsx.mjs', 'steps/**/*.ts']
  : ['dist/steps/**/*.js'];

const profile = (backend) => ({
  paths: ['features/**/*.feature'],
  import: steps,
  worldParameters: { backend },
  // All but the other backends' layout scenarios.
  tags: BACKENDS.filter((other) => other !== backend)
    .map((other) => `not @backend:${other}`)
    .join(' and '),
});

export default profile('sqlite');
// The matrix (`wfstore conformance`) runs this one, giving the store and the tags of each column itself.
export const base = { paths: ['features/**/*.feature'], import: steps };
export const filesystem = profile('filesystem');
export const sqlite = profile('sqlite');
export const postgres = profile('postgres');
// In memory: the contract; no other process can open it.
export const memory = { ...profile('memory'), tags: `${profile('memory').tags} and not @multi-process` };
// An initializer module (`wfstore conformance --store`, world parameter { store }): the contract only.
export const store = {
  ...profile('store'),
  worldParameters: {},
  tags: [...BACKENDS.map((b) => `not @backend:${b}`), 'not @multi-process'].join(' and '),
};
