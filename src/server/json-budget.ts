// A parse budget for request bodies (runtime-agnostic), checked on the raw bytes before
// JSON.parse builds anything: a scoring body nests 3 levels ({"beats": [[numbers]]}) and holds
// at most maxBeats x (length + 1) values, so a body past either bound is refused after reading
// only as far as the first byte over it. Without it, 8 MiB of balanced brackets cost JSON.parse
// 1.55 s and +270 MB on a scoring thread (issue 22).

import { RequestError } from './request-error.ts';

export const MAX_JSON_DEPTH = 8;

const QUOTE = 34, BACKSLASH = 92, OPEN = 91, CLOSE = 93, BRACE = 123, UNBRACE = 125, COMMA = 44;

/** The message for a body nested past maxDepth. */
export function tooDeepMessage(maxDepth = MAX_JSON_DEPTH): string {
  return `the body nests deeper than ${maxDepth} levels (a scoring body is {"beats": [[numbers, ...], ...]}: 3)`;
}

/**
 * True when the first bytes of a body already nest past maxDepth: the Node entry checks a
 * body's first chunk with this and refuses at once, before reading the rest (the check on
 * the whole body, checkJsonBudget, runs on the scoring thread).
 */
export function prefixTooDeep(b: Uint8Array, maxDepth = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  const n = b.length;
  for (let i = 0; i < n; i++) {
    const c = b[i];
    if (c === QUOTE) { for (i++; i < n && b[i] !== QUOTE; i++) if (b[i] === BACKSLASH) i++; }
    else if (c === OPEN || c === BRACE) { if (++depth > maxDepth) return true; }
    else if (c === CLOSE || c === UNBRACE) depth--;
  }
  return false;
}

/** Throws a RequestError (400 too deep, 413 too many values) naming the bound; else returns. */
export function checkJsonBudget(b: Uint8Array, maxValues: number, maxDepth = MAX_JSON_DEPTH): void {
  let depth = 0, commas = 0;
  const n = b.length;
  for (let i = 0; i < n; i++) {
    const c = b[i];
    if (c === QUOTE) {
      // Skip the string; an unterminated one is JSON.parse's error to report.
      for (i++; i < n && b[i] !== QUOTE; i++) if (b[i] === BACKSLASH) i++;
    } else if (c === OPEN || c === BRACE) {
      if (++depth > maxDepth) {
        throw new RequestError(400, tooDeepMessage(maxDepth), 'parse_budget');
      }
    } else if (c === CLOSE || c === UNBRACE) {
      depth--;
    } else if (c === COMMA && ++commas >= maxValues) {
      throw new RequestError(413, `the body holds more than ${maxValues} values (the most a request of the largest allowed size can hold)`, 'parse_budget');
    }
  }
}
