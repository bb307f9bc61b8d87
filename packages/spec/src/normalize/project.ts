import type { KeyPath } from '../load/path.js';
import type { Config, IpamConfig, Network, Project, Secret, Service, Volume } from '../model/project.js';
import { extensionsOf, stringMap } from './collections.js';
import { type Dict, isDict, type NormalizeContext, scalarString, toBool } from './context.js';
import { resolveHostPath } from './paths.js';
import { normalizeService } from './service.js';

export interface NormalizeInput {
  /** The merged tree, with extends, include and profiles already applied. */
  tree: Dict;
  /** Services switched off by profiles (still normalised, for messages and `config --profiles`). */
  disabled: Dict;
  profiles: string[];
  configFiles: string[];
}

/** Turns the merged compose tree into the Project model: long syntax everywhere, names defaulted. */
export function normalizeProject(input: NormalizeInput, ctx: NormalizeContext): Project {
  const { tree } = input;
  if (tree.models != null) {
    // compose's model runner (AI models as a top-level resource): nothing orc runs yet.
    ctx.report({
      code: 'NOT_SUPPORTED',
      severity: 'warning',
      path: ['models'],
      at: 'key',
      message: 'the top-level "models" is not supported by orc yet and is ignored',
    });
  }
  const services: Record<string, Service> = {};
  for (const [name, raw] of Object.entries(dictOf(tree.services))) {
    services[name] = normalizeService(name, isDict(raw) ? raw : {}, ctx);
  }
  const disabled: Record<string, Service> = {};
  const quiet: NormalizeContext = { ...ctx, report: () => {} };
  for (const [name, raw] of Object.entries(input.disabled)) {
    disabled[name] = normalizeService(name, isDict(raw) ? raw : {}, quiet);
  }

  const networks: Record<string, Network> = {};
  for (const [key, raw] of Object.entries(dictOf(tree.networks))) {
    networks[key] = normalizeNetwork(key, raw, ctx);
  }
  const usesDefault = Object.values(services).some((s) => 'default' in s.networks);
  if (usesDefault && !networks.default) {
    networks.default = { name: `${ctx.projectName}_default`, labels: {}, extensions: {} };
  }
  const volumes: Record<string, Volume> = {};
  for (const [key, raw] of Object.entries(dictOf(tree.volumes))) {
    volumes[key] = normalizeVolume(key, raw, ctx);
  }
  const secrets: Record<string, Secret> = {};
  for (const [key, raw] of Object.entries(dictOf(tree.secrets))) {
    secrets[key] = normalizeFileObject('secrets', key, raw, ctx);
  }
  const configs: Record<string, Config> = {};
  for (const [key, raw] of Object.entries(dictOf(tree.configs))) {
    configs[key] = normalizeFileObject('configs', key, raw, ctx);
  }
  return {
    name: ctx.projectName,
    working_dir: ctx.workingDir,
    config_files: input.configFiles,
    services,
    networks,
    volumes,
    secrets,
    configs,
    disabled_services: disabled,
    profiles: input.profiles,
    extensions: extensionsOf(tree),
  };
}

function dictOf(v: unknown): Dict {
  return isDict(v) ? v : {};
}

/** `external: true` or the legacy `external: {name: x}`: the engine name and the flag. */
function externalOf(raw: Dict): { external?: boolean; legacyName?: string } {
  if (isDict(raw.external)) {
    const legacyName = scalarString(raw.external.name);
    return { external: true, ...(legacyName ? { legacyName } : {}) };
  }
  const b = toBool(raw.external);
  return b === undefined ? {} : { external: b };
}

function engineName(kind: 'networks' | 'volumes', key: string, raw: Dict, ctx: NormalizeContext): string {
  const ext = externalOf(raw);
  const named = scalarString(raw.name);
  if (ext.legacyName) {
    if (named && named !== ext.legacyName) {
      ctx.report({
        code: 'EXTERNAL_RESOURCE',
        path: [kind, key, 'name'],
        message: `name "${named}" and external.name "${ext.legacyName}" disagree`,
      });
    }
    ctx.report({
      code: 'DEPRECATED',
      severity: 'warning',
      path: [kind, key, 'external', 'name'],
      message: 'external.name is deprecated',
      hint: `write \`name: ${ext.legacyName}\` and \`external: true\``,
    });
    return ext.legacyName;
  }
  if (named) return named;
  return ext.external ? key : `${ctx.projectName}_${key}`;
}

const EXTERNAL_ALLOWED = new Set(['external', 'name']);

function checkExternal(kind: string, key: string, raw: Dict, ctx: NormalizeContext): void {
  if (!externalOf(raw).external) return;
  for (const k of Object.keys(raw)) {
    if (EXTERNAL_ALLOWED.has(k) || k.startsWith('x-')) continue;
    ctx.report({
      code: 'EXTERNAL_RESOURCE',
      path: [kind, key, k],
      at: 'key',
      message: `${kind.slice(0, -1)} "${key}" is external, so "${k}" cannot be set`,
      hint: 'an external resource is created outside the project; only `name` may accompany `external: true`',
    });
  }
}

/**
 * Keys of top-level resources that orc reads but does not act on (yet): a located warning, as for a
 * service's (`enable_ipv4` needs Engine API 1.48; a secret's or config's `driver`, `driver_opts` and
 * `template_driver` are Swarm's).
 */
export const UNCARRIED_RESOURCE_KEYS = {
  networks: new Set(['enable_ipv4']),
  volumes: new Set<string>(),
  secrets: new Set(['driver', 'driver_opts', 'template_driver']),
  configs: new Set(['driver', 'driver_opts', 'template_driver']),
} as const;

function warnUncarried(
  kind: keyof typeof UNCARRIED_RESOURCE_KEYS,
  key: string,
  raw: Record<string, unknown>,
  ctx: NormalizeContext,
): void {
  for (const k of Object.keys(raw)) {
    if (!UNCARRIED_RESOURCE_KEYS[kind].has(k)) continue;
    ctx.report({
      code: 'NOT_SUPPORTED',
      severity: 'warning',
      path: [kind, key, k],
      at: 'key',
      message: `"${k}" is not supported by orc yet and is ignored`,
    });
  }
}

function normalizeNetwork(key: string, value: unknown, ctx: NormalizeContext): Network {
  const raw = dictOf(value);
  const path: KeyPath = ['networks', key];
  checkExternal('networks', key, raw, ctx);
  warnUncarried('networks', key, raw, ctx);
  const n: Network = {
    name: engineName('networks', key, raw, ctx),
    labels: stringMap(raw.labels, [...path, 'labels'], ctx),
    extensions: extensionsOf(raw),
  };
  const ext = externalOf(raw).external;
  if (ext !== undefined) n.external = ext;
  const driver = scalarString(raw.driver);
  if (driver) n.driver = driver;
  if (raw.driver_opts != null) n.driver_opts = stringMap(raw.driver_opts, [...path, 'driver_opts'], ctx);
  for (const k of ['internal', 'attachable', 'enable_ipv6'] as const) {
    const b = toBool(raw[k]);
    if (b !== undefined) n[k] = b;
  }
  if (isDict(raw.ipam)) {
    const ipam: NonNullable<Network['ipam']> = {};
    const d = scalarString(raw.ipam.driver);
    if (d) ipam.driver = d;
    if (Array.isArray(raw.ipam.config)) {
      ipam.config = raw.ipam.config.filter(isDict).map((c) => {
        const out: IpamConfig = {};
        for (const k of ['subnet', 'ip_range', 'gateway'] as const) {
          const s = scalarString(c[k]);
          if (s) out[k] = s;
        }
        if (c.aux_addresses != null) {
          out.aux_addresses = stringMap(c.aux_addresses, [...path, 'ipam', 'config', 'aux_addresses'], ctx);
        }
        return out;
      });
    }
    if (raw.ipam.options != null)
      ipam.options = stringMap(raw.ipam.options, [...path, 'ipam', 'options'], ctx);
    n.ipam = ipam;
  }
  return n;
}

function normalizeVolume(key: string, value: unknown, ctx: NormalizeContext): Volume {
  const raw = dictOf(value);
  const path: KeyPath = ['volumes', key];
  checkExternal('volumes', key, raw, ctx);
  const v: Volume = {
    name: engineName('volumes', key, raw, ctx),
    labels: stringMap(raw.labels, [...path, 'labels'], ctx),
    extensions: extensionsOf(raw),
  };
  const ext = externalOf(raw).external;
  if (ext !== undefined) v.external = ext;
  const driver = scalarString(raw.driver);
  if (driver) v.driver = driver;
  if (raw.driver_opts != null) v.driver_opts = stringMap(raw.driver_opts, [...path, 'driver_opts'], ctx);
  return v;
}

function normalizeFileObject(
  kind: 'secrets' | 'configs',
  key: string,
  value: unknown,
  ctx: NormalizeContext,
): Secret {
  const raw = dictOf(value);
  const path: KeyPath = [kind, key];
  checkExternal(kind, key, raw, ctx);
  warnUncarried(kind, key, raw, ctx);
  const ext = externalOf(raw);
  const named = scalarString(raw.name);
  const s: Secret = {
    name: ext.legacyName ?? named ?? (ext.external ? key : `${ctx.projectName}_${key}`),
    extensions: extensionsOf(raw),
  };
  if (ext.external !== undefined) s.external = ext.external;
  const file = scalarString(raw.file);
  if (file !== undefined) s.file = resolveHostPath(file, ctx.workingDir, ctx.env);
  const environment = scalarString(raw.environment);
  if (environment !== undefined) {
    s.environment = environment;
    if (Object.hasOwn(ctx.env, environment)) s.environment_value = ctx.env[environment] as string;
  }
  const content = scalarString(raw.content);
  if (content !== undefined) s.content = content;
  if (raw.labels != null) s.labels = stringMap(raw.labels, [...path, 'labels'], ctx);
  if (!ext.external && file === undefined && environment === undefined && content === undefined) {
    ctx.report({
      code: 'INVALID_VALUE',
      path,
      at: 'key',
      message: `${kind.slice(0, -1)} "${key}" has no source`,
      hint: 'set one of `file`, `environment`, `content`, or `external: true`',
    });
  }
  return s;
}
