// Milliseconds for timing reports (training seconds): performance.now() where the runtime has it,
// else Date.now(). Plain ECMAScript hosts (QuickJS, other embedded engines) have no `performance`.

export function nowMs(): number {
  const p = (globalThis as { performance?: { now(): number } }).performance;
  return p !== undefined ? p.now() : Date.now();
}
