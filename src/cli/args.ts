// Command-line parsing shared by every command: node:util's parseArgs (strict: unknown flags
// are errors), --help on every command, and one way to fail: a message and a non-zero exit.

import { parseArgs } from 'node:util';

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** Shown in --help, e.g. "N" for --epochs N. */
  value?: string;
  description: string;
  default?: string | boolean;
}

export interface CommandSpec {
  name: string;
  summary: string;
  usage: string;
  options: Record<string, OptionSpec>;
  allowPositionals?: boolean;
  examples?: string[];
}

/** A problem with the user's input (flags, files): exit code 2 for usage, 1 otherwise. */
export class UserError extends Error {
  constructor(message: string, readonly exitCode = 1) { super(message); this.name = 'UserError'; }
}

export function helpText(spec: CommandSpec): string {
  const rows = Object.entries(spec.options).map(([name, o]) => {
    const flag = `--${name}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}`;
    const def = o.default !== undefined && o.default !== false ? ` (default: ${o.default})` : '';
    return `  ${flag.padEnd(30)} ${o.description}${def}`;
  });
  return [`${spec.name}: ${spec.summary}`, '', `usage: ${spec.usage}`, '', 'options:',
    `  ${'--help'.padEnd(30)} show this help`, ...rows,
    ...(spec.examples?.length ? ['', 'examples:', ...spec.examples.map((e) => `  ${e}`)] : [])].join('\n');
}

export interface Parsed {
  /** Every option: the value given, else its default. */
  values: Record<string, string | boolean | undefined>;
  /** The options given on the command line (a value equal to the default included). */
  passed: ReadonlySet<string>;
  positionals: string[];
  help: boolean;
}

export function parseCommandLine(spec: CommandSpec, argv: string[]): Parsed {
  const options: Record<string, { type: 'string' | 'boolean' }> = { help: { type: 'boolean' } };
  for (const [name, o] of Object.entries(spec.options)) options[name] = { type: o.type };
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: spec.allowPositionals ?? false });
  } catch (e) {
    throw new UserError(`${(e as Error).message}\nRun \`${spec.name} --help\` for the options.`, 2);
  }
  const values: Record<string, string | boolean | undefined> = {};
  for (const [name, o] of Object.entries(spec.options)) values[name] = (parsed.values as Record<string, string | boolean | undefined>)[name] ?? o.default;
  const passed = new Set(Object.keys(parsed.values).filter((k) => k !== 'help' && parsed.values[k] !== undefined));
  return { values, passed, positionals: parsed.positionals, help: parsed.values.help === true };
}

/** Typed accessors that name the flag in their errors. */
export function intFlag(values: Parsed['values'], name: string, { min = -Infinity, max = Infinity } = {}): number {
  const raw = values[name];
  const v = Number(raw);
  // Plain decimal digits only: no "", "0x10" or "1e2".
  if (typeof raw !== 'string' || !/^\s*[+-]?\d+\s*$/.test(raw) || v < min || v > max) {
    throw new UserError(`--${name} must be an integer${min > -Infinity ? ` >= ${min}` : ''}${max < Infinity ? ` and <= ${max}` : ''}, got "${raw}"`, 2);
  }
  return v;
}

export function numberFlag(values: Parsed['values'], name: string, { min = -Infinity, max = Infinity, exclusiveMax = false } = {}): number {
  const raw = values[name];
  const v = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(v) || v < min || (exclusiveMax ? v >= max : v > max)) {
    throw new UserError(`--${name} must be a number in [${min}, ${max}${exclusiveMax ? ')' : ']'}, got "${raw}"`, 2);
  }
  return v;
}

export function listFlag(values: Parsed['values'], name: string): number[] {
  const raw = String(values[name] ?? '');
  const parts = raw.split(',').map((s) => Number(s.trim()));
  if (raw.trim() === '' || parts.some((v) => !Number.isInteger(v) || v < 1)) {
    throw new UserError(`--${name} must be a comma-separated list of positive integers, e.g. 64,32,16; got "${raw}"`, 2);
  }
  return parts;
}

export function choiceFlag<T extends string>(values: Parsed['values'], name: string, choices: readonly T[]): T {
  const raw = values[name];
  if (typeof raw !== 'string' || !choices.includes(raw as T)) {
    throw new UserError(`--${name} must be one of ${choices.join(', ')}; got "${raw}"`, 2);
  }
  return raw as T;
}

/** --label-column, when given: first|last (training and evaluation), or also none (detect). */
export function labelColumnFlag(values: Parsed['values']): 'first' | 'last' | undefined;
export function labelColumnFlag(values: Parsed['values'], options: { allowNone: true }): 'first' | 'last' | 'none' | undefined;
export function labelColumnFlag(values: Parsed['values'], { allowNone = false } = {}): 'first' | 'last' | 'none' | undefined {
  if (values['label-column'] === undefined) return undefined;
  return choiceFlag(values, 'label-column', allowNone ? ['first', 'last', 'none'] as const : ['first', 'last'] as const);
}

/**
 * Runs a command's main: prints help when asked, turns errors into a message on stderr and a
 * non-zero exit code (2 for usage errors), never a stack trace for a user's mistake.
 */
export async function runCommand(spec: CommandSpec, main: (p: Parsed) => Promise<void> | void,
                                 argv = process.argv.slice(2)): Promise<void> {
  try {
    const parsed = parseCommandLine(spec, argv);
    if (parsed.help) { process.stdout.write(helpText(spec) + '\n'); return; }
    await main(parsed);
  } catch (e) {
    if (e instanceof UserError) {
      process.stderr.write(`${spec.name}: error: ${e.message}\n`);
      process.exitCode = e.exitCode;
    } else {
      const err = e as Error;
      // Data and model errors carry a clear message already; show the stack only when asked.
      process.stderr.write(`${spec.name}: error: ${err.message}\n`);
      if (process.env.CARDIOGRAD_DEBUG) process.stderr.write(`${err.stack}\n`);
      process.exitCode = 1;
    }
  }
}
