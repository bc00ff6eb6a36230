// A JSON value with every corner a backend can get wrong: unicode, NUL and lone surrogates inside
// strings, integer-like keys (which JavaScript orders first), -0, extreme numbers, deep nesting, 1 MiB.

import type { JsonObject } from '../../contract/types.js';

export function hardJsonValue(): JsonObject {
  let deep: JsonObject = { bottom: true };
  for (let i = 0; i < 200; i++) deep = { [`level${i}`]: deep, i };
  return {
    unicode: 'héllo wörld — 日本語 — 🎉🚀 — \u200b',
    nul: 'a\u0000b',
    loneHigh: 'x\ud800y',
    loneLow: '\udc00',
    pair: '\ud83d\ude00',
    '10': 'integer-like key',
    '2': 'sorted before other keys by JavaScript',
    '-1': 'not integer-like',
    '01': 'not integer-like either',
    z: 1,
    a: [1, -0, 1.5e300, -2.5e-300, true, false, null, '', [], {}],
    deep,
    big: 'é'.repeat(512 * 1024), // 1 MiB as UTF-8
  };
}
