// The arguments themselves (WF-VAL-16, WF-VAL-17) and the store's clock out of range (WF-DET-2).

import { defineParameterType, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import vm from 'node:vm';
import type { StoreWorld } from './support/world.js';
import { callWith } from './validation.steps.js';

type Fields = Record<string, unknown>;

/** Objects that hold an input object's fields, or seem to, in all but what WF-VAL-17 asks. */
export const INPUT_KINDS: Record<string, (fields: Fields) => object> = {
  // No own property: a store that reads the fields reads them through the prototype.
  'an object inheriting its fields': (fields) => Object.create(fields) as object,
  'an instance of a class': (fields) => Object.assign(new (class Input {})(), fields),
  'an object of another realm': (fields) => Object.assign(vm.runInNewContext('({})') as object, fields),
  'an array holding its fields': (fields) => Object.assign([], fields),
};

defineParameterType({
  name: 'input-kind',
  regexp: new RegExp(Object.keys(INPUT_KINDS).join('|')),
  transformer: (name: string) => name,
});
defineParameterType({
  name: 'ordinal',
  regexp: /first|second|third/,
  transformer: (word: string) => ['first', 'second', 'third'].indexOf(word),
});

When(
  '{word} is called with the arguments, the {ordinal} one given as {input-kind}:',
  function (this: StoreWorld, operation: string, index: number, kind: string, json: string) {
    const args = JSON.parse(json) as unknown[];
    args[index] = INPUT_KINDS[kind]!(args[index] as Fields);
    return callWith(this, operation, args);
  },
);

// The options (or the filter) are the last argument.
When(
  '{word} is called with the arguments, options.{word} given as {input-kind}:',
  function (this: StoreWorld, operation: string, field: string, kind: string, json: string) {
    const args = JSON.parse(json) as unknown[];
    const options = args.at(-1) as Record<string, Fields>;
    options[field] = INPUT_KINDS[kind]!(options[field]!) as Fields;
    return callWith(this, operation, args);
  },
);

/**
 * Object.prototype holds `field` for the length of one call, as a polluted prototype would. Not enumerable,
 * so no for…in loop of the code running meanwhile sees it: only a read of a field the input object lacks
 * (`input.metadata`) finds it.
 */
When(
  '{word} is called with the arguments while Object.prototype has {string} set to {}:',
  async function (this: StoreWorld, operation: string, field: string, value: string, json: string) {
    const args = JSON.parse(json) as unknown[];
    assert.ok(!(field in Object.prototype), `Object.prototype already has "${field}"`);
    Object.defineProperty(Object.prototype, field, { value: JSON.parse(value), writable: true, configurable: true });
    try {
      await callWith(this, operation, args);
    } finally {
      Reflect.deleteProperty(Object.prototype, field);
    }
  },
);

When(
  'the runs, then the events of run {string} are listed and run {string} is updated, ' +
    'each with its options omitted and then undefined',
  function (this: StoreWorld, eventsOf: string, updated: string) {
    const s = this.store;
    return this.attempt(async () => {
      await s.listWorkflowRuns();
      await s.listWorkflowRuns(undefined);
      await s.listWorkflowEvents(eventsOf);
      await s.listWorkflowEvents(eventsOf, undefined);
      await s.updateWorkflowRun(updated, { status: 'running' });
      await s.updateWorkflowRun(updated, { status: 'running' }, undefined);
    });
  },
);

When("the store's clock reads {string}", function (this: StoreWorld, time: string) {
  this.clock.set(time);
});

When("the store's id source gives {string} next", function (this: StoreWorld, id: string) {
  this.nextIds.push(id);
});

When("the store's clock reads an invalid Date", function (this: StoreWorld) {
  this.clock.set('not a time');
});
