/**
 * Field-level differences between two canonical service definitions (the `dev.orc.service-definition`
 * label of a container vs the desired one), so a recreate can say what changed.
 */

export interface DefinitionChange {
  /** Key path as people write it: `environment.GREETING`, `ports[0].published`, `command`. */
  path: string;
  /** `undefined` = the field was absent. */
  from: unknown;
  to: unknown;
}

/** Unparseable input (an old container without the label) yields one change at the root path `''`. */
export function diffDefinitions(oldJson: string, newJson: string): DefinitionChange[] {
  const before = parse(oldJson);
  const after = parse(newJson);
  if (before === unparseable || after === unparseable) {
    return [{ path: '', from: before === unparseable ? undefined : before, to: after }];
  }
  const changes: DefinitionChange[] = [];
  walk('', before, after, changes);
  return changes;
}

const unparseable = Symbol('unparseable');

function parse(json: string): unknown {
  if (!json) return unparseable;
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return unparseable;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function join(path: string, key: string): string {
  // Keys that are not identifiers (e.g. `com.example.label`) are quoted so the path stays unambiguous.
  const plain = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key);
  if (!plain) return `${path}[${JSON.stringify(key)}]`;
  return path ? `${path}.${key}` : key;
}

function walk(path: string, from: unknown, to: unknown, out: DefinitionChange[]): void {
  if (isRecord(from) && isRecord(to)) {
    const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort();
    for (const key of keys) walk(join(path, key), from[key], to[key], out);
    return;
  }
  // Same-length arrays are compared element by element (`ports[1].published`); otherwise as a whole.
  if (Array.isArray(from) && Array.isArray(to) && from.length === to.length) {
    from.forEach((item, i) => {
      walk(`${path}[${i}]`, item, to[i], out);
    });
    return;
  }
  if (!sameValue(from, to)) out.push({ path, from, to });
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Environment keys whose values must never reach a log, an event or an API response. */
const SENSITIVE = /pass|secret|token|credential|private|api[_-]?key|auth/i;

function redacted(path: string): boolean {
  const env = /^environment(?:\.|\[")(.+?)(?:"\])?$/.exec(path);
  return env !== null && SENSITIVE.test(env[1] ?? '');
}

function show(value: unknown, hide: boolean): string {
  if (value === undefined) return '(unset)';
  if (hide) return '(secret)';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** `environment.GREETING "hello" → "bye"`; values of secret-looking variables are masked. */
export function formatChange(change: DefinitionChange): string {
  const hide = redacted(change.path);
  return `${change.path || 'definition'} ${show(change.from, hide)} → ${show(change.to, hide)}`;
}

/** At most `limit` changes, then `and N more`. */
export function summarizeChanges(changes: DefinitionChange[], limit = 3): string {
  const shown = changes.slice(0, limit).map(formatChange);
  const rest = changes.length - shown.length;
  return rest > 0 ? `${shown.join(', ')} and ${rest} more` : shown.join(', ');
}
