/**
 * Multi-file merge of plain compose trees, with compose-go's rules (override.Merge), then
 * EnforceUnicity (one entry per port, mount target, variable... the later one wins).
 *
 * Default rules: mappings merge per key, sequences append, scalars are replaced, a `null` override
 * keeps the base. Special rules by path are listed in SPECIAL below. `!reset` (drop the key) and
 * `!override` (replace without merging) markers in the override tree are honoured; see tags.ts.
 * Pure: inputs are never mutated and the result shares no container with them.
 */
import { renderPath } from './interpolate.js';
import { isOverride, isPlainObject, isReset, stripMarkers } from './tags.js';

export type KeyPath = Array<string | number>;

export interface MergeProblem {
  path: KeyPath;
  message: string;
}

type Dict = Record<string, unknown>;
type Merger = (base: unknown, override: unknown, path: KeyPath, problems: MergeProblem[]) => unknown;

/* ---- path patterns (`*` matches any one key) ---- */

type Pattern = readonly string[];

function compile(pattern: string): Pattern {
  return pattern.split('.');
}

function matches(path: KeyPath, pattern: Pattern): boolean {
  return path.length === pattern.length && pattern.every((p, i) => p === '*' || p === String(path[i]));
}

/* ---- conversions between the list and map forms ---- */

/** Go's `%v` for the scalars YAML gives us. */
function text(value: unknown): string {
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

/** `{A: 1, B: null}` → `['A=1', 'B']` (sorted, as compose-go does); a string → `[string]`. */
function toSequence(value: unknown): unknown[] {
  if (Array.isArray(value)) return stripMarkers(value) as unknown[];
  if (typeof value === 'string') return [value];
  if (!isPlainObject(value)) return [];
  const seq: string[] = [];
  for (const [k, v] of Object.entries(stripMarkers(value) as Dict)) {
    if (v === null || v === undefined) seq.push(k);
    else if (Array.isArray(v)) for (const item of v) seq.push(`${k}=${text(item)}`);
    else seq.push(`${k}=${text(v)}`);
  }
  return seq.sort(compareStrings);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `['a', 'b']` → `{a: fill, b: fill}` (for `networks`, `depends_on`, `models`); a map stays. */
function toMapping(value: unknown, fill: () => unknown): Dict {
  if (isPlainObject(value)) return value;
  const out: Dict = {};
  if (Array.isArray(value)) {
    for (const item of value) if (!isReset(item)) out[text(stripMarkers(item))] = fill();
  }
  return out;
}

/* ---- the rules ---- */

/**
 * Base entries, then the override's. A key the override marks `!reset` (`environment: {FOO: !reset}`)
 * takes the base's `FOO=...`/`FOO` entry out, as compose-go's reset of that path does.
 */
const appendSequences: Merger = (base, override) => {
  const reset = isPlainObject(override) ? Object.keys(override).filter((k) => isReset(override[k])) : [];
  const kept = reset.length
    ? toSequence(base).filter((e) => typeof e !== 'string' || !reset.includes(e.split('=')[0]!))
    : toSequence(base);
  return [...kept, ...toSequence(override)];
};

/** Like appendSequences, but an override entry that the base already has is not repeated. */
const appendExtraHosts: Merger = (base, override) => {
  const right = toSequence(base);
  const left = toSequence(override).filter((entry) => !right.includes(entry));
  return [...right, ...left];
};

const replace: Merger = (_base, override) => stripMarkers(override);

/** The options of one driver mean nothing to another: merge only when the drivers agree. */
const mergeLogging: Merger = (base, override, path, problems) => {
  if (!isPlainObject(base) || !isPlainObject(override)) return mergeDefault(base, override, path, problems);
  const sameDriver =
    !Object.hasOwn(base, 'driver') || !Object.hasOwn(override, 'driver') || base.driver === override.driver;
  return sameDriver ? mergeMappings(base, override, path, problems) : stripMarkers(override);
};

/** `build: ./dir` is `build: {context: ./dir}`. */
const mergeBuild: Merger = (base, override, path, problems) => {
  const asMap = (v: unknown): unknown => (typeof v === 'string' ? { context: v } : v);
  return mergeDefault(asMap(base), asMap(override), path, problems);
};

const mergeAsMappings =
  (fill: () => unknown): Merger =>
  (base, override, path, problems) =>
    mergeMappings(toMapping(base, fill), toMapping(override, fill), path, problems);

/**
 * IPAM configs are keyed by subnet: an override config merges into the base config of the same
 * subnet; the override's list decides which subnets remain. (compose-go's own loop gives the same
 * result for one base config; with several it can merge unrelated configs, which we do not copy.)
 */
const mergeIpamConfig: Merger = (base, override, path, problems) => {
  if (!Array.isArray(base) || !Array.isArray(override)) return mergeDefault(base, override, path, problems);
  const bases = base.filter(isPlainObject);
  return override
    .filter((o) => !isReset(o))
    .map((o, i) => {
      const same = isPlainObject(o) ? bases.find((b) => b.subnet === o.subnet) : undefined;
      return same ? mergeMappings(same, o as Dict, [...path, i], problems) : stripMarkers(o);
    });
};

const SPECIAL_RULES: Array<[string, Merger]> = [
  ['networks.*.ipam.config', mergeIpamConfig],
  ['networks.*.labels', appendSequences],
  ['volumes.*.labels', appendSequences],
  // Not in compose-go, which fails on a map/list mix here; same shape as the labels above.
  ['secrets.*.labels', appendSequences],
  ['configs.*.labels', appendSequences],
  ['services.*.annotations', appendSequences],
  ['services.*.build', mergeBuild],
  ['services.*.build.args', appendSequences],
  ['services.*.build.additional_contexts', appendSequences],
  ['services.*.build.extra_hosts', appendExtraHosts],
  ['services.*.build.labels', appendSequences],
  ['services.*.command', replace],
  ['services.*.depends_on', mergeAsMappings(() => ({ condition: 'service_started', required: true }))],
  ['services.*.deploy.labels', appendSequences],
  ['services.*.dns', appendSequences],
  ['services.*.dns_opt', appendSequences],
  ['services.*.dns_search', appendSequences],
  ['services.*.entrypoint', replace],
  ['services.*.env_file', appendSequences],
  ['services.*.label_file', appendSequences],
  ['services.*.environment', appendSequences],
  ['services.*.extra_hosts', appendExtraHosts],
  ['services.*.healthcheck.test', replace],
  ['services.*.labels', appendSequences],
  ['services.*.volumes.*.volume.labels', appendSequences],
  ['services.*.logging', mergeLogging],
  ['services.*.models', mergeAsMappings(() => null)],
  ['services.*.networks', mergeAsMappings(() => null)],
  ['services.*.sysctls', appendSequences],
  ['services.*.tmpfs', appendSequences],
  ['services.*.ulimits.*', replace],
];
const SPECIAL = SPECIAL_RULES.map(([p, m]): [Pattern, Merger] => [compile(p), m]);

function mergeValue(base: unknown, override: unknown, path: KeyPath, problems: MergeProblem[]): unknown {
  if (isOverride(override)) return stripMarkers(override.value);
  for (const [pattern, merger] of SPECIAL) {
    if (matches(path, pattern)) return merger(base, override, path, problems);
  }
  return mergeDefault(base, override, path, problems);
}

function mergeDefault(base: unknown, override: unknown, path: KeyPath, problems: MergeProblem[]): unknown {
  if (override === null || override === undefined) return base;
  if (isPlainObject(base)) {
    if (isPlainObject(override)) return mergeMappings(base, override, path, problems);
    return mismatch(override, path, problems);
  }
  if (Array.isArray(base)) {
    if (Array.isArray(override)) return [...base, ...(stripMarkers(override) as unknown[])];
    return mismatch(override, path, problems);
  }
  return stripMarkers(override);
}

/** A map where the base has a list (or the reverse): the override wins, and we say so. */
function mismatch(override: unknown, path: KeyPath, problems: MergeProblem[]): unknown {
  problems.push({ path, message: `cannot override ${renderPath(path)}: one file has a list, another a map` });
  return stripMarkers(override);
}

function mergeMappings(base: Dict, override: Dict, path: KeyPath, problems: MergeProblem[]): Dict {
  const out: Dict = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (isReset(value)) delete out[key];
    else if (!Object.hasOwn(out, key) || isOverride(value)) out[key] = stripMarkers(value);
    else out[key] = mergeValue(out[key], value, [...path, key], problems);
  }
  return out;
}

/**
 * Merges an override file's tree into the base (everything earlier files said); the override wins.
 * Markers in `base` are applied as if it were read alone. Mismatched shapes (a map over a list) are
 * reported in `problems` when given; the override wins there too.
 */
export function mergeCompose(base: unknown, override: unknown, problems: MergeProblem[] = []): unknown {
  const cleanBase = stripMarkers(base);
  if (isReset(override)) return undefined;
  return mergeValue(cleanBase, override, [], problems);
}

/**
 * Merges service definitions with the same rules as under `services:` (for `extends`: the base
 * service is what is extended, the override the extending service).
 */
export function mergeService(base: unknown, override: unknown, problems: MergeProblem[] = []): unknown {
  return mergeValue(stripMarkers(base), override, ['services', '*'], problems);
}

/* ---- unicity ---- */

/** The identity of a sequence entry; `undefined` when it has none (such entries are all kept). */
type Indexer = (entry: unknown, path: KeyPath, problems: MergeProblem[]) => string | undefined;

const keyValue: Indexer = (entry, path, problems) => {
  if (typeof entry === 'string') return entry.split('=', 1)[0];
  if (typeof entry === 'number' || typeof entry === 'boolean') return String(entry);
  problems.push({ path, message: `${renderPath(path)}: expected a string, found ${describe(entry)}` });
  return undefined;
};

const exposeIndexer: Indexer = (entry, path, problems) => {
  if (typeof entry === 'string' || typeof entry === 'number') return String(entry);
  problems.push({ path, message: `${renderPath(path)}: unsupported expose value ${describe(entry)}` });
  return undefined;
};

const envFileIndexer: Indexer = (entry, path, problems) => {
  if (typeof entry === 'string') return entry;
  if (isPlainObject(entry) && typeof entry.path === 'string') return entry.path;
  problems.push({ path, message: `${renderPath(path)}: env_file entry is missing its path` });
  return undefined;
};

/** Secrets and configs are unique by the path they are mounted at. */
const mountIndexer =
  (defaultDir: string): Indexer =>
  (entry, path, problems) => {
    const under = (name: string) => (name.startsWith('/') ? name : `${defaultDir}/${name}`);
    if (typeof entry === 'string') return under(entry);
    if (isPlainObject(entry)) {
      if (typeof entry.target === 'string') return under(entry.target);
      if (typeof entry.source === 'string') return under(entry.source);
    }
    problems.push({ path, message: `${renderPath(path)}: expected a name or a source` });
    return undefined;
  };

const volumeIndexer: Indexer = (entry, path, problems) => {
  if (typeof entry === 'string') return volumeTarget(entry);
  if (isPlainObject(entry) && typeof entry.target === 'string') return entry.target;
  problems.push({ path, message: `service volume ${renderPath(path)} is missing a mount target` });
  return undefined;
};

const deviceIndexer: Indexer = (entry, path, problems) => {
  if (typeof entry === 'string') {
    const parts = entry.split(':');
    return parts[1] ?? parts[0];
  }
  if (isPlainObject(entry) && typeof entry.target === 'string') return entry.target;
  problems.push({ path, message: `service device ${renderPath(path)} is missing a mount target` });
  return undefined;
};

/**
 * Ports are unique by `host_ip:published:target/protocol`, whichever syntax wrote them, so that a
 * long-syntax override replaces the short-syntax entry it restates (compose-go compares short
 * entries as raw strings).
 */
const portIndexer: Indexer = (entry, path, problems) => {
  if (typeof entry === 'number') return portKey(undefined, undefined, String(entry), undefined);
  if (typeof entry === 'string') return shortPortKey(entry);
  if (isPlainObject(entry) && entry.target !== undefined && entry.target !== null) {
    const opt = (v: unknown) => (v === undefined || v === null ? undefined : String(v));
    return portKey(opt(entry.host_ip), opt(entry.published), String(entry.target), opt(entry.protocol));
  }
  problems.push({ path, message: `service ports ${renderPath(path)} is missing a target port` });
  return undefined;
};

function portKey(
  host: string | undefined,
  published: string | undefined,
  target: string,
  protocol: string | undefined,
): string {
  return `${host || '0.0.0.0'}:${published ?? ''}:${target}/${protocol || 'tcp'}`;
}

/** `[ip:][published:]target[/protocol]`, IPv6 hosts in brackets; anything else is its own key. */
function shortPortKey(spec: string): string {
  const m = /^(?:(\[[^\]]*\]|[^:]*):)??(?:([^:]*):)?([^:/]+)(?:\/(\w+))?$/.exec(spec.trim());
  if (!m) return spec;
  const host = m[1]?.replace(/^\[|\]$/g, '');
  return portKey(host, m[2] || undefined, m[3]!, m[4]);
}

/**
 * The target of a short volume spec `[source:]target[:mode]`. The colon of `C:\…` (a Windows drive)
 * is no separator; `a:/a` is the volume `a` mounted at `/a`.
 */
export function volumeTarget(spec: string): string {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < spec.length; i++) {
    const c = spec[i]!;
    const drive = c === ':' && /^[A-Za-z]$/.test(current) && spec[i + 1] === '\\';
    if (c === ':' && !drive) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts.length === 1 ? parts[0]! : parts[1]!;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return `${typeof value} ${JSON.stringify(value)}`;
}

const UNIQUE_RULES: Array<[string, Indexer]> = [
  ['networks.*.labels', keyValue],
  ['networks.*.ipam.options', keyValue],
  ['volumes.*.labels', keyValue],
  ['secrets.*.labels', keyValue],
  ['configs.*.labels', keyValue],
  ['services.*.annotations', keyValue],
  ['services.*.build.args', keyValue],
  ['services.*.build.additional_contexts', keyValue],
  // compose-go lists `platform`; the specification spells it `platforms`.
  ['services.*.build.platform', keyValue],
  ['services.*.build.platforms', keyValue],
  ['services.*.build.tags', keyValue],
  ['services.*.build.labels', keyValue],
  ['services.*.cap_add', keyValue],
  ['services.*.cap_drop', keyValue],
  ['services.*.devices', deviceIndexer],
  ['services.*.configs', mountIndexer('')],
  ['services.*.deploy.labels', keyValue],
  ['services.*.dns', keyValue],
  ['services.*.dns_opt', keyValue],
  ['services.*.dns_search', keyValue],
  ['services.*.environment', keyValue],
  ['services.*.env_file', envFileIndexer],
  ['services.*.expose', exposeIndexer],
  ['services.*.labels', keyValue],
  ['services.*.links', keyValue],
  ['services.*.networks.*.aliases', keyValue],
  ['services.*.networks.*.link_local_ips', keyValue],
  ['services.*.ports', portIndexer],
  ['services.*.profiles', keyValue],
  ['services.*.secrets', mountIndexer('/run/secrets')],
  ['services.*.sysctls', keyValue],
  ['services.*.tmpfs', keyValue],
  ['services.*.volumes', volumeIndexer],
];
const UNIQUE = UNIQUE_RULES.map(([p, i]): [Pattern, Indexer] => [compile(p), i]);

function unique(seq: unknown[], path: KeyPath, indexer: Indexer, problems: MergeProblem[]): unknown[] {
  const out: unknown[] = [];
  const seen = new Map<string, number>();
  seq.forEach((entry, i) => {
    const key = indexer(entry, [...path, i], problems);
    const at = key === undefined ? undefined : seen.get(key);
    // The later definition wins, at the place of the first (compose-go keeps the order that way).
    if (at !== undefined) out[at] = entry;
    else {
      if (key !== undefined) seen.set(key, out.length);
      out.push(entry);
    }
  });
  return out;
}

/**
 * Removes redefinitions from sequences whose entries have an identity (see UNIQUE): the later entry
 * replaces the earlier one in place. Entries without an identity are kept and reported.
 */
export function enforceUnicity(tree: unknown, problems: MergeProblem[] = []): unknown {
  const walk = (node: unknown, path: KeyPath): unknown => {
    if (Array.isArray(node)) {
      const items = node.map((item, i) => walk(item, [...path, i]));
      const rule = UNIQUE.find(([pattern]) => matches(path, pattern));
      return rule ? unique(items, path, rule[1], problems) : items;
    }
    if (isPlainObject(node)) {
      const out: Dict = {};
      for (const [k, v] of Object.entries(node)) out[k] = walk(v, [...path, k]);
      return out;
    }
    return node;
  };
  return walk(tree, []);
}
