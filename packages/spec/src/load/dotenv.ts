/**
 * `.env` files as compose-go reads them (its dotenv package, derived from godotenv):
 * `KEY=value`, `KEY: value`, `export KEY=value`, `KEY` alone (taken from the lookup), `#` comments
 * (inline ones need a space before `#`), single quotes (literal, `\'` allowed), double quotes
 * (escapes `\n \t \\ \" \$ \0ooo`..., multi-line), `${…}` expansion in unquoted and double-quoted
 * values, a leading BOM. Never throws: problems come back with their line and column.
 */
import { type Lookup, type SubstituteResult, substitute } from './interpolate.js';

export type { Lookup } from './interpolate.js';

export interface DotenvProblem {
  message: string;
  line?: number;
  col?: number;
}

export interface DotenvResult {
  values: Record<string, string>;
  errors: DotenvProblem[];
}

export interface ParseDotenvOptions {
  /** Consulted first for `${X}` and for `KEY` alone; values of earlier lines come second. */
  lookup?: Lookup;
}

/** Spaces that do not end a line (compose-go's isSpace). */
const INLINE_SPACE = new Set(['\t', '\v', '\f', '\r', ' ', '\u0085', '\u00a0']);
const EXPORT = /export[\t\v\f\r \u0085\u00a0]+/y;
const KEY_CHAR = /^[\p{L}\p{N}_.\-[\]]$/u;
const TRAILING_SPACE = /[\s\u0085]+$/u;
const LEADING_DIGIT = /^\s*\d/;

function isWhitespace(c: string): boolean {
  return c === '\n' || INLINE_SPACE.has(c) || /\s/u.test(c);
}

/**
 * Line and column of offsets in `text`, asked in increasing order (as the parser meets problems):
 * each call counts only the newlines since the previous one.
 */
function positionTracker(text: string): (offset: number) => { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  let scanned = 0;
  return (offset) => {
    if (offset < scanned) {
      line = 1;
      lineStart = 0;
      scanned = 0;
    }
    for (let i = text.indexOf('\n', scanned); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
      line++;
      lineStart = i + 1;
    }
    scanned = offset;
    return { line, col: offset - lineStart + 1 };
  };
}

/** Messages quote the input; a line of generated input may be very long. */
function shorten(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/**
 * The start of the next statement at or after `from`: blank space and comment lines skipped.
 * Returns the text's length at the end.
 */
function nextStatement(text: string, from: number): number {
  let i = from;
  for (;;) {
    while (i < text.length && isWhitespace(text[i]!)) i++;
    if (text[i] !== '#') return i;
    const eol = text.indexOf('\n', i);
    if (eol < 0) return text.length;
    i = eol;
  }
}

/** compose-go's getStatementStart: the text from the next statement on, `''` when there is none. */
export function statementStart(text: string): string {
  return text.slice(nextStatement(text, 0));
}

function endOfLine(text: string, from: number): number {
  const eol = text.indexOf('\n', from);
  return eol < 0 ? text.length : eol;
}

const ESCAPE = /\\(?:[abcfnrtv$"\\]|0\d{0,3})/g;
const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '"': '"',
  '\\': '\\',
};

/** Shell-like escapes of double-quoted values; unknown ones (`\x07`, `\u…`, `\c`) stay as written. */
function expandEscapes(value: string): string {
  return value.replace(ESCAPE, (match) => {
    const c = match.slice(1);
    // `\$` must survive expansion as a literal dollar: `$$` is the expansion's own escape.
    if (c === '$') return '$$';
    if (c.startsWith('0')) {
      const digits = c.slice(1);
      const code = Number.parseInt(digits, 8);
      return /^[0-7]{3}$/.test(digits) && code <= 255 ? String.fromCharCode(code) : match;
    }
    return SIMPLE_ESCAPES[c] ?? match;
  });
}

/**
 * `${…}` expansion of one value: the lookup first, then the variables read so far
 * (compose-go's expandVariables).
 */
export function expandDotenvValue(
  value: string,
  vars: Record<string, string>,
  lookup: Lookup = () => undefined,
): SubstituteResult {
  return substitute(value, (name) => lookup(name) ?? (Object.hasOwn(vars, name) ? vars[name] : undefined));
}

type Quoted = { ok: true; value: string; end: number } | { ok: false };

/** Reads a quoted value starting at `text[at]` (the quote); a backslash protects the quote only. */
function readQuoted(text: string, at: number): Quoted {
  const quote = text[at];
  let value = '';
  let escaped = false;
  for (let i = at + 1; i < text.length; i++) {
    const c = text[i]!;
    if (escaped) {
      escaped = false;
      value += c === quote ? c : `\\${c}`;
    } else if (c === '\\') escaped = true;
    else if (c === quote) return { ok: true, value, end: i + 1 };
    else value += c;
  }
  return { ok: false };
}

/**
 * Parses into `out` (which may already hold values: they are visible to `${…}` after the lookup).
 * Stops at an unterminated quote (the rest cannot be read reliably); other problems skip a line.
 */
function parseInto(source: string, out: Record<string, string>, lookup: Lookup): DotenvProblem[] {
  const text = source.startsWith('\ufeff') ? source.slice(1) : source;
  const errors: DotenvProblem[] = [];
  const positionOf = positionTracker(text);
  const fail = (offset: number, message: string) => errors.push({ message, ...positionOf(offset) });
  let pos = nextStatement(text, 0);
  while (pos < text.length) {
    const statement = pos;
    EXPORT.lastIndex = pos;
    let keyStart = EXPORT.test(text) ? EXPORT.lastIndex : pos;
    while (keyStart < text.length && INLINE_SPACE.has(text[keyStart]!)) keyStart++;

    let keyEnd = keyStart;
    let terminator: string | undefined;
    let badChar: number | undefined;
    for (; keyEnd < text.length; keyEnd++) {
      const c = text[keyEnd]!;
      if (INLINE_SPACE.has(c)) continue;
      if (c === '=' || c === ':' || c === '\n') {
        terminator = c;
        break;
      }
      if (!KEY_CHAR.test(c)) {
        badChar = keyEnd;
        break;
      }
    }
    if (badChar !== undefined) {
      const firstLine = shorten(text.slice(keyStart, endOfLine(text, keyStart)));
      fail(
        badChar,
        `unexpected character ${JSON.stringify(text[badChar])} in variable name ${JSON.stringify(firstLine)}`,
      );
      pos = nextStatement(text, endOfLine(text, badChar));
      continue;
    }
    const key = text.slice(keyStart, keyEnd).replace(TRAILING_SPACE, '');
    const afterKey = Math.min(keyEnd + 1, text.length);
    if (key.includes(' ')) {
      fail(statement, 'key cannot contain a space');
      pos = nextStatement(text, terminator === '\n' ? afterKey : endOfLine(text, afterKey));
      continue;
    }
    // A key alone on its line (or at the end of the file) is taken from the lookup, when it is set there.
    if (terminator === undefined || terminator === '\n') {
      const inherited = lookup(key);
      if (inherited !== undefined) out[key] = inherited;
      pos = nextStatement(text, afterKey);
      continue;
    }

    let valueStart = afterKey;
    while (valueStart < text.length && INLINE_SPACE.has(text[valueStart]!)) valueStart++;
    const first = text[valueStart];
    let raw: string;
    let expand: boolean;
    if (first === '"' || first === "'") {
      const quoted = readQuoted(text, valueStart);
      if (!quoted.ok) {
        fail(
          valueStart,
          `unterminated quoted value ${shorten(text.slice(valueStart, endOfLine(text, valueStart)))}`,
        );
        break;
      }
      raw = first === '"' ? expandEscapes(quoted.value) : quoted.value;
      expand = first === '"';
      pos = quoted.end;
    } else {
      const eol = endOfLine(text, valueStart);
      const line = text.slice(valueStart, eol);
      const comment = line.indexOf(' #');
      raw = (comment < 0 ? line : line.slice(0, comment)).replace(TRAILING_SPACE, '');
      expand = true;
      pos = eol;
    }
    if (expand) {
      const r = expandDotenvValue(raw, out, lookup);
      if (!r.ok) {
        fail(valueStart, r.message);
        pos = nextStatement(text, pos);
        continue;
      }
      raw = r.value;
    }
    out[key] = raw;
    pos = nextStatement(text, pos);
  }
  return errors;
}

/** Parses one `.env` text (compose-go's ParseWithLookup; keys are kept as written, digits included). */
export function parseDotenv(text: string, opts: ParseDotenvOptions = {}): DotenvResult {
  const values: Record<string, string> = {};
  const errors = parseInto(text, values, opts.lookup ?? (() => undefined));
  return { values, errors };
}

/** Keys that start with a digit cannot be variables; compose-go's Read drops them. */
export function dropDigitKeys(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([k]) => !LEADING_DIGIT.test(k)));
}

export interface ReadEnvFilesOptions {
  /** Default true (compose-go's Read); false keeps them (a service's `env_file` may set such names). */
  dropDigitKeys?: boolean;
}

/**
 * The environment files of a project, in order (compose-go's GetEnvFromFile): later files win;
 * `${X}` and `KEY` alone look in `env` first, then in what the files said so far (the current
 * file's earlier lines win over earlier files).
 */
export function readEnvFiles(
  files: Array<{ path: string; text: string }>,
  env: Record<string, string>,
  opts: ReadEnvFilesOptions = {},
): { values: Record<string, string>; errors: Array<DotenvProblem & { file: string }> } {
  const values: Record<string, string> = {};
  const errors: Array<DotenvProblem & { file: string }> = [];
  const lookup: Lookup = (name) => (Object.hasOwn(env, name) ? env[name] : undefined);
  for (const file of files) {
    for (const e of parseInto(file.text, values, lookup)) errors.push({ ...e, file: file.path });
  }
  return { values: opts.dropDigitKeys === false ? values : dropDigitKeys(values), errors };
}
