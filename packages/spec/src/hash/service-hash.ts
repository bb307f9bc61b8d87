import type { Project, Service } from '../model/project.js';
import { canonicalJson, canonicalJsonWithoutEmpty, sha256Hex } from './canonical.js';

/**
 * The part of a service that decides what its containers look like, normalised so that equal
 * meaning gives equal bytes. Like compose v2's ServiceHash, it leaves out what does not change a
 * container: build (the image id is compared separately), pull_policy, scale/replicas, depends_on,
 * profiles and develop (watch rules). `x-orc` and deploy's restart/update/rollback policies only steer the daemon, so they
 * are left out too.
 *
 * With the project, it adds `resolved`: what the container takes from outside the service that a
 * planner would not see otherwise (the host files behind file-based secrets and configs), so that
 * pointing a secret at another file recreates its users.
 */
export function serviceDefinitionValue(service: Service, project?: Project): Record<string, unknown> {
  // One loop over the keys instead of an object rest and a spread (two copies of every service,
  // ~7 ms on 1,000 services, profiled); the key order does not matter, the JSON is canonical.
  const out: Record<string, unknown> = {};
  const record = service as unknown as Record<string, unknown>;
  const keys = Object.keys(record);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (!LEFT_OUT.has(key)) out[key] = record[key];
  }
  const deploy = service.deploy;
  if (deploy) {
    // The daemon applies these policies itself (supervise/, rolling updates): changing one must not
    // recreate containers, which look the same either way.
    const {
      replicas: _replicas,
      restart_policy: _restartPolicy,
      update_config: _updateConfig,
      rollback_config: _rollbackConfig,
      ...deployRest
    } = deploy;
    out.deploy = deployRest;
  }
  const ext: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(service.extensions ?? {})) if (key !== 'x-orc') ext[key] = value;
  out.extensions = ext;
  if (project) out.resolved = resolvedFiles(service, project);
  return out;
}

/**
 * What a service's definition leaves out: build, pull_policy, scale, depends_on, profiles, develop
 * (the watch rules steer `orc watch`, not the container), env_file and label_file (where values came
 * from, not what they are: `environment` and `labels` hold them); extensions and deploy are added
 * back filtered.
 */
const LEFT_OUT: ReadonlySet<string> = new Set([
  'build',
  'pull_policy',
  'scale',
  'depends_on',
  'profiles',
  'develop',
  'env_file',
  'label_file',
  'extensions',
  'deploy',
]);

function resolvedFiles(service: Service, project: Project): Record<string, Record<string, string>> {
  const pick = (refs: Service['secrets'], all: Project['secrets'] | undefined) => {
    const files: Record<string, string> = {};
    for (const ref of refs ?? []) {
      const source = all?.[ref.source];
      if (source?.file) files[ref.source] = source.file;
      // A value given inline or by variable: its hash, never the value (the definition is a label).
      else {
        const value = source ? inlineValue(source) : undefined;
        if (value !== undefined) files[ref.source] = `sha256:${sha256Hex(value)}`;
      }
    }
    return files;
  };
  return { secrets: pick(service.secrets, project.secrets), configs: pick(service.configs, project.configs) };
}

/** A secret's or config's value when given by value (`content:` or `environment:`), not by file. */
export function inlineValue(source: {
  file?: string;
  content?: string;
  environment_value?: string;
  external?: boolean;
}): string | undefined {
  if (source.external || source.file) return undefined;
  return source.content ?? source.environment_value;
}

/** Canonical JSON of the definition: stored on containers so a recreate can be explained field by field. */
export function serviceDefinition(service: Service, project?: Project): string {
  return canonicalJsonWithoutEmpty(serviceDefinitionValue(service, project));
}

/** sha256 hex of the canonical definition (label `com.docker.compose.config-hash`). */
export function serviceHash(service: Service, project?: Project): string {
  return definitionHash(serviceDefinition(service, project));
}

/** The config hash of a definition already computed (saves canonicalising twice). */
export function definitionHash(definition: string): string {
  return sha256Hex(definition);
}

/** Hash of any engine body (networks, volumes): canonical JSON, so key order never matters. */
export function bodyHash(body: unknown): string {
  return sha256Hex(canonicalJson(body));
}

/** Which top-level fields of two definitions differ (for `config hash differs: environment.X`). */
export function definitionDiff(before: string, after: string): string[] {
  const a = safeParse(before);
  const b = safeParse(after);
  const paths: string[] = [];
  diffInto(a, b, '', paths);
  return paths;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function diffInto(a: unknown, b: unknown, path: string, out: string[]): void {
  if (canonicalJson(a) === canonicalJson(b)) return;
  const bothObjects =
    a !== null &&
    b !== null &&
    typeof a === 'object' &&
    typeof b === 'object' &&
    !Array.isArray(a) &&
    !Array.isArray(b);
  if (!bothObjects || path.split('.').length >= 3) {
    out.push(path || '(root)');
    return;
  }
  const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
  for (const key of [...keys].sort()) {
    diffInto(
      (a as Record<string, unknown>)[key],
      (b as Record<string, unknown>)[key],
      path ? `${path}.${key}` : key,
      out,
    );
  }
}
