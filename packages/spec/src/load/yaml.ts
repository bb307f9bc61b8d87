import {
  type CollectionTag,
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  type ScalarTag,
} from 'yaml';
import type { SpecProblem } from '../model/errors.js';
import { estimateNesting } from './nesting.js';
import type { KeyPath } from './path.js';
import { pathKey } from './path.js';
import type { PathPosition, Position, SourceMap } from './positions.js';

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
  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, {
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
        const pos = at(e.pos[0]);
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
  const measured = measure(doc.contents as Node | null, limits);
  if (measured) return { ok: false, errors: [limitError(file, measured)] };

  const positions = new Map<string, PathPosition>();
  const duplicates: Array<{ name: string; pos: Position }> = [];
  recordPositions(doc.contents as Node | null, [], positions, at, duplicates);
  if (duplicates.length > 0) {
    return {
      ok: false,
      errors: duplicates.map((d) => ({
        code: 'YAML_SYNTAX' as const,
        file,
        line: d.pos.line,
        col: d.pos.col,
        message: `duplicate key "${d.name}": map keys must be unique`,
        hint: 'each key may appear once in a mapping; remove or rename one of them',
      })),
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

/**
 * Counts nodes and depth as if every alias were expanded, with one memo entry per node, so that a
 * "billion laughs" is measured in time proportional to its text, not to its expansion.
 */
function measure(root: Node | null, limits: YamlLimits): string | undefined {
  const anchors = new Map<string, Node>();
  const memo = new Map<Node, { nodes: number; depth: number }>();
  const inProgress = new Set<Node>();
  const visit = (node: unknown): { nodes: number; depth: number } => {
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (!target || inProgress.has(target)) return { nodes: 1, depth: 1 };
      return memo.get(target) ?? visit(target);
    }
    if (!node || typeof node !== 'object') return { nodes: 1, depth: 1 };
    const n = node as Node;
    if (n.anchor) anchors.set(n.anchor, n);
    const cached = memo.get(n);
    if (cached) return cached;
    let nodes = 1;
    let depth = 1;
    if (isMap(n) || isSeq(n)) {
      inProgress.add(n);
      for (const item of n.items) {
        const parts = isPair(item) ? [item.key, item.value] : [item];
        for (const part of parts) {
          if (part == null) continue;
          const r = visit(part);
          nodes = Math.min(nodes + r.nodes, Number.MAX_SAFE_INTEGER);
          depth = Math.max(depth, r.depth + 1);
        }
      }
      inProgress.delete(n);
    }
    const result = { nodes, depth };
    memo.set(n, result);
    return result;
  };
  const r = visit(root);
  if (r.nodes > limits.maxNodes) {
    return `the document expands to ${r.nodes > 1e15 ? 'more than 10^15' : r.nodes} nodes through its aliases, more than the limit of ${limits.maxNodes}`;
  }
  if (r.depth > limits.maxDepth) {
    return `the document nests ${r.depth} levels deep, more than the limit of ${limits.maxDepth}`;
  }
  return undefined;
}

function recordPositions(
  node: Node | null,
  path: KeyPath,
  out: Map<string, PathPosition>,
  at: (offset: number) => Position,
  duplicates: Array<{ name: string; pos: Position }>,
  key?: Position,
): void {
  if (!node) return;
  const range = node.range;
  const value = range ? at(range[0]) : (key ?? { line: 1, col: 1 });
  out.set(pathKey(path), key ? { key, value } : { value });
  if (isMap(node)) {
    const seen = new Set<string>();
    for (const pair of node.items) {
      const k = pair.key;
      const name = isScalar(k) ? String(k.value) : undefined;
      if (name === undefined || name === '<<') continue;
      const keyPos = isScalar(k) && k.range ? at(k.range[0]) : value;
      if (seen.has(name)) duplicates.push({ name, pos: keyPos });
      seen.add(name);
      const v = pair.value as Node | null;
      if (v && !isAlias(v)) recordPositions(v, [...path, name], out, at, duplicates, keyPos);
      else {
        const vp = v?.range ? at(v.range[0]) : keyPos;
        out.set(pathKey([...path, name]), { key: keyPos, value: vp });
      }
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => {
      const n = item as Node | null;
      if (n && !isAlias(n)) recordPositions(n, [...path, i], out, at, duplicates);
      else if (n?.range) out.set(pathKey([...path, i]), { value: at(n.range[0]) });
      // Lists of names (`depends_on: [db]`, `networks: [front]`) become maps keyed by the name:
      // remember the item under that key too, so problems found after normalising point at it.
      if (isScalar(n) && typeof n.value === 'string' && n.range) {
        const named = pathKey([...path, n.value]);
        if (!out.has(named)) out.set(named, { key: at(n.range[0]), value: at(n.range[0]) });
      }
    });
  }
}
