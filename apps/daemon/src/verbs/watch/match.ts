/**
 * Which watch rule a changed file belongs to (pure). compose's rules: a file counts for a rule when it is
 * under the rule's `path`, not ignored (the build context's `.dockerignore`, relative to the context, then
 * the rule's `ignore`, relative to the rule's path, both with `.dockerignore` semantics), not an editor's
 * temporary file or under `.git`, and, when the rule has `include`, matched by one of its patterns.
 */
import { posix } from 'node:path';
import dockerignore from '@balena/dockerignore';
import type { WatchRule } from '@orc/spec';

export interface RuleMatcher {
  service: string;
  /** Index of the rule in the service's `develop.watch`. */
  index: number;
  rule: WatchRule;
  /** The file (absolute, posix) triggers this rule. */
  matches(file: string): boolean;
  /** A directory whose whole tree is ignored: never watched, never walked. */
  skipsDir(dir: string): boolean;
  /** The file's path relative to the rule's path ('' for the path itself). */
  relative(file: string): string | undefined;
}

/** Editors' temporary and backup files (vim, emacs, JetBrains), ignored as compose ignores them. */
const EPHEMERAL = [/^\..*\.sw[a-px]$/, /^4913$/, /~$/, /^#.*#$/, /^\.#/, /___jb_(tmp|old)___$/];

export function isEphemeral(name: string): boolean {
  return EPHEMERAL.some((re) => re.test(name));
}

type Matcher = { ignores(path: string): boolean };
const compile = (patterns: string[]): Matcher =>
  // A CommonJS module: under NodeNext its typed default export is the `.default` property.
  dockerignore.default({ ignorecase: false }).add(patterns);

function inside(root: string, path: string): string | undefined {
  if (path === root) return '';
  const prefix = root.endsWith('/') ? root : `${root}/`;
  return path.startsWith(prefix) ? path.slice(prefix.length) : undefined;
}

export interface MatcherInput {
  service: string;
  index: number;
  rule: WatchRule;
  /** The service's build context (absolute) and its `.dockerignore` patterns, when it has one. */
  context?: { dir: string; patterns: string[] };
}

export function ruleMatcher({ service, index, rule, context }: MatcherInput): RuleMatcher {
  const root = posix.normalize(rule.path);
  const own = compile(rule.ignore ?? []);
  const fromContext = context ? compile(context.patterns) : undefined;
  const include = rule.include?.length ? compile(rule.include) : undefined;
  // A `!pattern` may re-include something below an ignored directory: then the directory is walked.
  const exceptions =
    (rule.ignore ?? []).some((p) => p.startsWith('!')) ||
    (context?.patterns ?? []).some((p) => p.startsWith('!'));

  const ignored = (path: string, rel: string): boolean => {
    if (rel.split('/').some((part) => part === '.git')) return true;
    if (rel !== '' && own.ignores(rel)) return true;
    const inContext = context ? inside(context.dir, path) : undefined;
    return Boolean(fromContext && inContext && fromContext.ignores(inContext));
  };

  return {
    service,
    index,
    rule,
    relative: (file) => inside(root, file),
    matches(file) {
      const rel = inside(root, file);
      if (rel === undefined) return false;
      if (isEphemeral(posix.basename(file))) return false;
      if (ignored(file, rel)) return false;
      if (!include) return true;
      // A pattern without `/` also names the file at any depth (`include: "*.go"` under `./src`).
      return include.ignores(rel) || include.ignores(posix.basename(rel));
    },
    skipsDir(dir) {
      const rel = inside(root, dir);
      if (rel === undefined || rel === '') return false;
      if (rel.split('/').some((part) => part === '.git')) return true;
      return !exceptions && ignored(dir, rel);
    },
  };
}
