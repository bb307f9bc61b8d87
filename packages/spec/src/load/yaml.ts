import type { Alias, CollectionTag, Document, LineCounter, Node, ScalarTag } from 'yaml';
import type { SpecProblem } from '../model/errors.js';
import { astPositions } from './ast-positions.js';
import { fastParse } from './fast-yaml.js';
import { estimateNesting } from './nesting.js';
import type { Position, PositionIndex, SourceMap } from './positions.js';
import { composeTags } from './tags.js';
import { yamlLib } from './yaml-lib.js';

/** Bounds on the work one file may cause (see design.md, "YAML aliases"). */
export interface YamlLimits {
  maxBytes: number;
  /** Nodes after alias expansion. */
  maxNodes: number;
  /** Nesting depth after alias expansion. */
  maxDepth: number;
}

export const DEFAULT_YAML_LIMITS: YamlLimits = {
  // yaml parses about 5 s/MiB on a slow 2-core machine: 1 MiB is 10× the largest compose files seen.
  maxBytes: 1024 * 1024,
  maxNodes: 1_000_000,
  maxDepth: 200,
};

export interface ParsedFile {
  file: string;
  tree: unknown;
  source: SourceMap;
  /** What the YAML parser warned about (e.g. an unknown tag), located. */
  warnings: SpecProblem[];
  /** False when the tree is known to hold no `!reset`/`!override` marker: no need to look for one. */
  markers?: boolean;
}

export type ParseResult = { ok: true; parsed: ParsedFile } | { ok: false; errors: SpecProblem[] };

export interface ParseOptions {
  limits?: Partial<YamlLimits>;
  customTags?: Array<ScalarTag | CollectionTag>;
}

/** YAML text → plain tree plus the position of every key path. Never throws. */
export function parseComposeYaml(file: string, text: string, opts: ParseOptions = {}): ParseResult {
  const limits = { ...DEFAULT_YAML_LIMITS, ...opts.limits };
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > limits.maxBytes) {
    return {
      ok: false,
      errors: [
        {
          code: 'FILE_TOO_LARGE',
          file,
          message: `file is ${bytes} bytes, more than the limit of ${limits.maxBytes}`,
          hint: 'split the project into several files or remove unused content',
        },
      ],
    };
  }
  // js-yaml, with its own depth bound, is safe on deep nesting; `yaml` needs the estimate first.
  const schema =
    opts.customTags === undefined ? 'plain' : opts.customTags === composeTags ? 'compose' : undefined;
  if (schema) {
    const fast = fastParse(text, limits, schema === 'compose');
    if (fast.ok) {
      const source = { file, positions: lazyPositions(text, opts) };
      return { ok: true, parsed: { file, tree: fast.tree, source, warnings: [], markers: fast.markers } };
    }
  }
  const nesting = estimateNesting(text);
  if (nesting > limits.maxDepth * 2) {
    return {
      ok: false,
      errors: [
        limitError(
          file,
          `the document nests about ${nesting} levels deep, more than the limit of ${limits.maxDepth}`,
        ),
      ],
    };
  }
  return parseWithPositions(file, text, limits, opts);
}

function parseDocumentWith(text: string, lineCounter: LineCounter, opts: ParseOptions): Document.Parsed {
  return yamlLib().parseDocument(text, {
    lineCounter,
    merge: true,
    // yaml's own check compares every key with every other (a 1 MiB map took > 2 min):
    // recordPositions finds duplicates with a Set instead.
    uniqueKeys: false,
    prettyErrors: false,
    strict: true,
    // Compose reads `0440` as octal (file modes), as Go's YAML decoder does; it must come before `int`.
    customTags: (tags) => [octalInt, ...tags, ...(opts.customTags ?? [])],
  });
}

/** Positions from a `yaml` parse of the text, made on the first question (once per file). */
function lazyPositions(text: string, opts: ParseOptions): PositionIndex {
  let index: PositionIndex | undefined;
  const positions = (): PositionIndex => {
    if (!index) {
      const lineCounter = new (yamlLib().LineCounter)();
      try {
        index = astPositions(parseDocumentWith(text, lineCounter, opts).contents as Node | null, lineCounter);
      } catch {
        // js-yaml read this text, so yaml should too; if it gives up, problems go unlocated.
        index = { match: () => undefined, get: () => undefined };
      }
    }
    return index;
  };
  return { match: (path) => positions().match(path), get: (path) => positions().get(path) };
}

/** The `yaml` parse: the reference for what a file means, and where every problem is (exported for the fast path's tests). */
export function parseWithPositions(
  file: string,
  text: string,
  limits: YamlLimits,
  opts: ParseOptions,
): ParseResult {
  const lineCounter = new (yamlLib().LineCounter)();
  let doc: Document.Parsed;
  try {
    doc = parseDocumentWith(text, lineCounter, opts);
  } catch (err) {
    return { ok: false, errors: [limitError(file, `the YAML parser gave up: ${errorText(err)}`)] };
  }
  const at = (offset: number): Position => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, col: p.col };
  };
  const exhausted = doc.errors.find((e) => e.code === 'RESOURCE_EXHAUSTION');
  if (exhausted) return { ok: false, errors: [limitError(file, firstLine(exhausted.message))] };
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => {
        // yaml reports an unclosed quote where the text ends; the reader needs the line that opened it.
        const quote = /^Missing closing .?quote/.test(e.message) ? unclosedQuote(text) : undefined;
        const pos = at(quote ?? e.pos[0]);
        return {
          code: 'YAML_SYNTAX' as const,
          file,
          line: pos.line,
          col: pos.col,
          message: firstLine(e.message),
          hint: yamlHint(e.code),
        };
      }),
    };
  }
  const walked = walk(doc.contents as Node | null, limits);
  if (walked.limit) {
    const where = walked.limitOffset !== undefined ? at(walked.limitOffset) : undefined;
    return { ok: false, errors: [{ ...limitError(file, walked.limit), ...(where ?? {}) }] };
  }
  if (walked.duplicates.length > 0) {
    return {
      ok: false,
      errors: walked.duplicates.map((d) => {
        const pos = at(d.offset);
        return {
          code: 'YAML_SYNTAX' as const,
          file,
          line: pos.line,
          col: pos.col,
          message: `duplicate key "${d.name}": map keys must be unique`,
          hint: 'each key may appear once in a mapping; remove or rename one of them',
        };
      }),
    };
  }
  let tree: unknown;
  try {
    tree = doc.toJS({ maxAliasCount: 10_000 });
  } catch (err) {
    return { ok: false, errors: [limitError(file, errorText(err))] };
  }
  const warnings = doc.warnings.map((w): SpecProblem => {
    const pos = at(w.pos[0]);
    return { code: 'YAML_SYNTAX', file, line: pos.line, col: pos.col, message: firstLine(w.message) };
  });
  // Positions are looked up in the document when a problem needs one (see ast-positions.ts).
  const positions = astPositions(doc.contents as Node | null, lineCounter);
  return { ok: true, parsed: { file, tree: tree ?? null, source: { file, positions }, warnings } };
}

const octalInt: ScalarTag = {
  identify: (v) => typeof v === 'number',
  default: true,
  tag: 'tag:yaml.org,2002:int',
  test: /^0[0-7]+$/,
  resolve: (text) => Number.parseInt(text, 8),
};

function limitError(file: string, message: string): SpecProblem {
  return {
    code: 'YAML_LIMIT',
    file,
    message,
    hint: 'orc refuses YAML that expands beyond its limits (aliases that multiply, very deep nesting)',
  };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}

function yamlHint(code: string): string | undefined {
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'each key may appear once in a mapping; remove or rename one of them';
    case 'TAB_AS_INDENT':
      return 'indent with spaces, not tabs';
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
      return 'check the indentation and the `:` after keys on this line and the one before';
    default:
      return undefined;
  }
}

/** What one walk of the document found: its expanded size, and the duplicate keys. */
interface Walked {
  limit?: string;
  /** Where the expansion crossed the node limit: the alias (or node) that made it too big. */
  limitOffset?: number;
  duplicates: Array<{ name: string; offset: number }>;
}

/**
 * Counts nodes and depth as if every alias were expanded, with one memo entry per anchored node, so
 * that a "billion laughs" is measured in time proportional to its text, not to its expansion; and
 * finds duplicate keys with a Set per map (yaml's own check is quadratic). One walk, no per-node
 * allocation beyond the Sets: an unanchored node is reached once, so only anchors need a memo.
 */
function walk(root: Node | null, limits: YamlLimits): Walked {
  const { isAlias, isMap, isPair, isScalar, isSeq } = yamlLib();
  const anchors = new Map<string, Node>();
  const memo = new Map<Node, { nodes: number; depth: number }>();
  const inProgress = new Set<Node>();
  const duplicates: Walked['duplicates'] = [];
  let nodes = 0;
  let crossedAt: number | undefined;
  const add = (n: number, at?: Node | Alias): void => {
    nodes = Math.min(nodes + n, Number.MAX_SAFE_INTEGER);
    if (crossedAt === undefined && nodes > limits.maxNodes) crossedAt = at?.range?.[0];
  };
  // Adds the node's expanded size to `nodes` and returns its expanded depth.
  const visit = (node: unknown): number => {
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      const known = target && !inProgress.has(target) ? memo.get(target) : undefined;
      if (!known) {
        add(1, node);
        return 1;
      }
      add(known.nodes, node);
      return known.depth;
    }
    if (!node || typeof node !== 'object') {
      add(1);
      return 1;
    }
    const n = node as Node;
    if (n.anchor) {
      anchors.set(n.anchor, n);
      const cached = memo.get(n);
      if (cached) {
        add(cached.nodes);
        return cached.depth;
      }
      inProgress.add(n);
      const before = nodes;
      const depth = visitChildren(n);
      inProgress.delete(n);
      memo.set(n, { nodes: nodes - before, depth });
      return depth;
    }
    return visitChildren(n);
  };
  const visitChildren = (n: Node): number => {
    add(1, n);
    let depth = 1;
    if (isMap(n)) {
      let seen: Set<string> | undefined;
      for (const pair of n.items) {
        const k = pair.key;
        if (isScalar(k)) {
          const name = String(k.value);
          if (name !== '<<') {
            seen ??= new Set();
            if (seen.has(name)) duplicates.push({ name, offset: k.range?.[0] ?? n.range?.[0] ?? 0 });
            seen.add(name);
          }
        }
        if (k != null) depth = Math.max(depth, visit(k) + 1);
        if (pair.value != null) depth = Math.max(depth, visit(pair.value) + 1);
      }
    } else if (isSeq(n)) {
      for (const item of n.items) {
        // A flow sequence may hold single pairs (`[a: 1]`): count their key and value.
        if (isPair(item)) {
          if (item.key != null) depth = Math.max(depth, visit(item.key) + 1);
          if (item.value != null) depth = Math.max(depth, visit(item.value) + 1);
        } else if (item != null) depth = Math.max(depth, visit(item) + 1);
      }
    }
    return depth;
  };
  const depth = visit(root);
  if (nodes > limits.maxNodes) {
    return {
      limit: `the document expands to ${nodes > 1e15 ? 'more than 10^15' : nodes} nodes through its aliases, more than the limit of ${limits.maxNodes}${crossedAt !== undefined ? '; the alias here crossed it' : ''}`,
      ...(crossedAt !== undefined ? { limitOffset: crossedAt } : {}),
      duplicates,
    };
  }
  if (depth > limits.maxDepth) {
    return {
      limit: `the document nests ${depth} levels deep, more than the limit of ${limits.maxDepth}`,
      duplicates,
    };
  }
  return { duplicates };
}

/**
 * The offset of the first quoted scalar that never closes, read from yaml's concrete syntax tree (which
 * keeps each token's offset); undefined when there is none.
 */
function unclosedQuote(text: string): number | undefined {
  let found: number | undefined;
  const seen = new Set<object>();
  const visit = (o: unknown): void => {
    if (found !== undefined || !o || typeof o !== 'object' || seen.has(o)) return;
    seen.add(o);
    const t = o as { type?: string; source?: string; offset?: number };
    if (
      (t.type === 'double-quoted-scalar' || t.type === 'single-quoted-scalar') &&
      typeof t.source === 'string' &&
      typeof t.offset === 'number' &&
      !closed(t.source, t.type === 'double-quoted-scalar' ? '"' : "'")
    ) {
      found = t.offset;
      return;
    }
    for (const v of Object.values(o)) visit(v);
  };
  for (const token of new (yamlLib().Parser)().parse(text)) visit(token);
  return found;
}

function closed(source: string, quote: '"' | "'"): boolean {
  if (source.length < 2 || !source.endsWith(quote)) return false;
  if (quote === "'") return true;
  // `"a\\"` closes; `"a\"` (an odd run of backslashes before the last quote) does not.
  let slashes = 0;
  for (let i = source.length - 2; i >= 0 && source[i] === '\\'; i--) slashes++;
  return slashes % 2 === 0;
}
