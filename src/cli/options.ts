/**
 * A small command-line option parser (no dependency beyond node): long
 * options `--name value` / `--name=value`, short aliases `-o value`, boolean
 * flags, `--` to end options. Every mistake becomes a UsageError, which the
 * CLI prints as one line and exits with status 2.
 */
import { sizeOrNull } from '../hv/size.js';

/** A mistake on the command line: one line, exit status 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A failure the user can act on (missing file, bad input): one line or block, exit status `code`. */
export class CliError extends Error {
  /** @param raw print the message as it is (assembler diagnostics), not as "zhint: message" */
  constructor(message: string, readonly code = 1, readonly raw = false) {
    super(message);
    this.name = 'CliError';
  }
}

export type OptionKind = 'flag' | 'string' | 'int' | 'size' | 'addr' | 'enum' | 'defsym';

export interface OptionSpec {
  /** long name without dashes */
  name: string;
  kind: OptionKind;
  /** one-letter alias without the dash */
  short?: string;
  /** for 'enum': the accepted values */
  values?: readonly string[];
  /** placeholder for --help, e.g. "N", "SIZE" */
  arg?: string;
  help: string;
}

/** 'defsym' options collect every NAME=VALUE given into one record (the option may repeat) */
export type OptionValue = string | number | boolean | Record<string, number>;

export interface Parsed {
  opts: Map<string, OptionValue>;
  args: string[];
}

/** Sizes for options of kind 'size' (the one grammar in hv/size.ts); null when malformed. */
export { sizeOrNull as parseSize };

/** Parse a non-negative integer (decimal, 0x hex, `_` separators allowed). Null when malformed. */
export function parseUint(text: string): number | null {
  const t = text.trim().replace(/_/g, '');
  if (!/^(0x[0-9a-f]+|\d+)$/i.test(t)) return null;
  const v = Number(t);
  return Number.isSafeInteger(v) ? v : null;
}

function convert(cmd: string, spec: OptionSpec, raw: string): OptionValue {
  const bad = (what: string) => new UsageError(`${cmd}: --${spec.name}: ${what}, got '${raw}'`);
  switch (spec.kind) {
    case 'string':
      if (raw === '') throw bad('expected a value');
      return raw;
    case 'int': {
      const v = parseUint(raw);
      if (v === null) throw bad('expected a non-negative integer');
      return v;
    }
    case 'addr': {
      // hex with or without 0x would be ambiguous: plain digits are decimal, as for 'int'
      const v = parseUint(raw);
      if (v === null) throw bad('expected an address (decimal or 0x hex)');
      return v;
    }
    case 'size': {
      const v = sizeOrNull(raw);
      if (v === null) throw bad('expected a size like 4096, 256K, 16M or 4G');
      return v;
    }
    case 'enum':
      if (!spec.values!.includes(raw)) throw bad(`expected one of ${spec.values!.join(', ')}`);
      return raw;
    case 'defsym': {
      // GNU as's --defsym NAME=VALUE: a symbol name, an integer value
      const m = /^([A-Za-z_.$][A-Za-z0-9_.$]*)=(-?)(0x[0-9a-f_]+|[0-9_]+)$/i.exec(raw);
      const v = m === null ? null : parseUint(m[3]);
      if (m === null || v === null) throw bad('expected NAME=VALUE with an integer VALUE (decimal or 0x hex)');
      return { [m[1]]: m[2] === '-' ? -v : v };
    }
    case 'flag':
      throw new Error('unreachable');
  }
}

/**
 * Parse `argv` against `specs`. `cmd` names the command in error messages.
 * Options may appear anywhere among the positional arguments.
 */
export function parseArgs(cmd: string, argv: readonly string[], specs: readonly OptionSpec[]): Parsed {
  const byLong = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  const opts = new Map<string, OptionValue>();
  const args: string[] = [];
  let i = 0;
  const set = (spec: OptionSpec, v: OptionValue) => {
    if (spec.kind === 'defsym') {
      opts.set(spec.name, { ...(opts.get(spec.name) as Record<string, number> | undefined), ...(v as Record<string, number>) });
      return;
    }
    if (opts.has(spec.name) && spec.kind !== 'flag') throw new UsageError(`${cmd}: --${spec.name} given twice`);
    opts.set(spec.name, v);
  };
  while (i < argv.length) {
    const a = argv[i++];
    if (a === '--') {
      args.push(...argv.slice(i));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      const spec = byLong.get(name);
      if (!spec) throw new UsageError(`${cmd}: unknown option '--${name}' (see zhint ${cmd} --help)`);
      if (spec.kind === 'flag') {
        if (eq >= 0) throw new UsageError(`${cmd}: --${name} takes no value`);
        set(spec, true);
        continue;
      }
      let raw: string;
      if (eq >= 0) raw = a.slice(eq + 1);
      else {
        if (i >= argv.length) throw new UsageError(`${cmd}: --${name} needs a value${spec.arg ? ` (${spec.arg})` : ''}`);
        raw = argv[i++];
      }
      set(spec, convert(cmd, spec, raw));
      continue;
    }
    if (a.length > 1 && a.startsWith('-') && !/^-\d/.test(a)) {
      const letter = a[1];
      const spec = byShort.get(letter);
      if (!spec) throw new UsageError(`${cmd}: unknown option '${a}' (see zhint ${cmd} --help)`);
      if (spec.kind === 'flag') {
        if (a.length > 2) throw new UsageError(`${cmd}: unknown option '${a}' (see zhint ${cmd} --help)`);
        set(spec, true);
        continue;
      }
      let raw: string;
      if (a.length > 2) raw = a.slice(2);
      else {
        if (i >= argv.length) throw new UsageError(`${cmd}: -${letter} needs a value${spec.arg ? ` (${spec.arg})` : ''}`);
        raw = argv[i++];
      }
      set(spec, convert(cmd, spec, raw));
      continue;
    }
    args.push(a);
  }
  return { opts, args };
}

/** The options block of a --help text. */
export function formatOptions(specs: readonly OptionSpec[]): string {
  const rows = specs.map((s) => {
    let left = `--${s.name}`;
    if (s.short) left = `-${s.short}, ${left}`;
    else left = `    ${left}`;
    if (s.kind === 'enum') left += `=${s.values!.join('|')}`;
    else if (s.kind !== 'flag') left += ` ${s.arg ?? 'VALUE'}`;
    return [left, s.help] as const;
  });
  const w = Math.max(...rows.map((r) => r[0].length)) + 2;
  return rows.map(([l, h]) => `  ${l.padEnd(w)}${h}`).join('\n');
}
