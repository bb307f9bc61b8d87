import { parseDotenv } from '../load/deps.js';
import type { KeyPath } from '../load/path.js';
import type {
  BuildConfig,
  DependencyCondition,
  Deploy,
  Healthcheck,
  Resources,
  Service,
  ServiceDependency,
  ServiceFileReference,
  ServiceNetwork,
  ServicePort,
  ServiceProvider,
  ServiceVolume,
  Ulimit,
  UpdateConfig,
} from '../model/project.js';
import { extensionsOf, extraHosts, listOrDict, stringList, stringMap } from './collections.js';
import {
  type Dict,
  isDict,
  type NormalizeContext,
  scalarString,
  toBool,
  toInt,
  toNumber,
} from './context.js';
import { normalizeDevelop } from './develop.js';
import { normalizeHooks, normalizePreStart } from './hooks.js';
import { isRemoteContext, resolveHostPath } from './paths.js';
import { parseShortPort, portSourceIndex } from './ports.js';
import { splitShellWords } from './shellwords.js';
import { parseByteSize, parseDuration } from './units.js';
import { parseShortVolume } from './volumes.js';

const STRING_KEYS = [
  'image',
  'pull_policy',
  'platform',
  'container_name',
  'hostname',
  'domainname',
  'user',
  'working_dir',
  'ipc',
  'pid',
  'stop_signal',
  'network_mode',
  'mac_address',
  'runtime',
  'cgroup',
  'cgroup_parent',
  'userns_mode',
  'uts',
  'isolation',
  'cpuset',
] as const;
const BOOL_KEYS = ['init', 'privileged', 'read_only', 'tty', 'stdin_open'] as const;
const INT_KEYS = ['cpu_shares', 'pids_limit', 'oom_score_adj'] as const;
const SIZE_KEYS = ['mem_limit', 'mem_reservation', 'memswap_limit', 'shm_size'] as const;
const LIST_KEYS = [
  'cap_add',
  'cap_drop',
  'dns',
  'dns_search',
  'dns_opt',
  'security_opt',
  'links',
  'external_links',
  'volumes_from',
  'group_add',
  'profiles',
  'tmpfs',
  'device_cgroup_rules',
] as const;
const MAP_KEYS = ['sysctls', 'storage_opt', 'annotations'] as const;

/** Keys of the specification that orc reads but does not carry into its model yet. */
export const UNCARRIED_SERVICE_KEYS = new Set([
  'attach',
  'blkio_config',
  'cpu_count',
  'cpu_percent',
  'cpu_period',
  'cpu_quota',
  'cpu_rt_period',
  'cpu_rt_runtime',
  'credential_spec',
  'gpus',
  'mem_swappiness',
  'models',
  'oom_kill_disable',
  'use_api_socket',
]);

const RESTART = /^(no|always|unless-stopped|on-failure(:\d+)?)$/;
const CONDITIONS = new Set(['service_started', 'service_healthy', 'service_completed_successfully']);

export function normalizeService(name: string, raw: Dict, ctx: NormalizeContext): Service {
  // Without a rest parameter and spreads: a path is built for every key present, error or not.
  const at = (key: string, sub?: string): KeyPath =>
    sub === undefined ? ['services', name, key] : ['services', name, key, sub];
  const bad = (path: KeyPath, message: string, hint?: string) =>
    ctx.report({ code: 'INVALID_VALUE', path, message, ...(hint ? { hint } : {}) });

  const svc: Service = {
    name,
    environment: {},
    labels: {},
    ports: [],
    expose: [],
    volumes: [],
    networks: {},
    depends_on: {},
    extensions: extensionsOf(raw),
  };
  const out = svc as unknown as Record<string, unknown>;

  for (const key of STRING_KEYS) {
    const v = raw[key];
    if (v == null) continue;
    const s = scalarString(v);
    if (s === undefined) bad(at(key), `${key} must be a string`);
    else out[key] = s;
  }
  for (const key of BOOL_KEYS) {
    const v = raw[key];
    if (v == null) continue;
    const b = toBool(v);
    if (b === undefined) bad(at(key), `${key} must be true or false, not ${JSON.stringify(v)}`);
    else out[key] = b;
  }
  for (const key of INT_KEYS) {
    const v = raw[key];
    if (v == null) continue;
    const n = toInt(v);
    if (n === undefined) bad(at(key), `${key} must be an integer, not ${JSON.stringify(v)}`);
    else out[key] = n;
  }
  for (const key of SIZE_KEYS) {
    const v = raw[key];
    if (v == null) continue;
    const n = parseByteSize(v);
    if (n === undefined)
      bad(at(key), `invalid size ${JSON.stringify(v)}`, 'write a byte size like 512m, 1g, 100k or 1024');
    else out[key] = n;
  }
  for (const key of LIST_KEYS) {
    if (raw[key] != null) out[key] = stringList(raw[key], at(key), ctx);
  }
  for (const key of MAP_KEYS) {
    if (raw[key] != null) out[key] = stringMap(raw[key], at(key), ctx);
  }
  if (raw.cpus != null) {
    const n = toNumber(raw.cpus);
    if (n === undefined || n < 0) bad(at('cpus'), `cpus must be a number, not ${JSON.stringify(raw.cpus)}`);
    else svc.cpus = n;
  }
  if (raw.restart != null) {
    const r = scalarString(raw.restart);
    if (r === undefined || !RESTART.test(r)) {
      bad(
        at('restart'),
        `invalid restart policy ${JSON.stringify(raw.restart)}`,
        'use "no", "always", "on-failure", "on-failure:N" or "unless-stopped"',
      );
    } else svc.restart = r;
  }
  if (raw.stop_grace_period != null) {
    const d = parseDuration(raw.stop_grace_period);
    if (d === undefined) badDuration(ctx, at('stop_grace_period'), raw.stop_grace_period);
    else svc.stop_grace_period = d;
  }
  for (const key of ['command', 'entrypoint'] as const) {
    if (!(key in raw)) continue;
    const v = raw[key];
    if (v === null) svc[key] = null;
    else if (typeof v === 'string') {
      const words = splitShellWords(v);
      if (!words)
        bad(at(key), `${key} has an unclosed quote`, 'close the quote, or write the command as a list');
      else svc[key] = words;
    } else svc[key] = stringList(v, at(key), ctx);
  }

  // Labels and environment: files first, the inline values win. Without files, the inline map (fresh
  // from listOrDict) is the value: no second copy of it per service.
  svc.labels =
    raw.label_file == null
      ? stringMap(raw.labels, at('labels'), ctx)
      : {
          ...readLabelFiles(raw.label_file, at('label_file'), ctx),
          ...stringMap(raw.labels, at('labels'), ctx),
        };
  if (raw.env_file != null) {
    svc.env_file = fileList(raw.env_file).map((f) => ({
      path: resolveHostPath(f.path, ctx.workingDir, ctx.env),
      ...(f.required ? {} : { required: false as const }),
      ...(f.format ? { format: f.format } : {}),
    }));
  }
  if (raw.label_file != null) {
    svc.label_file = fileList(raw.label_file).map((f) => resolveHostPath(f.path, ctx.workingDir, ctx.env));
  }
  svc.environment =
    raw.env_file == null
      ? listOrDict(raw.environment, at('environment'), ctx)
      : {
          ...readEnvFiles(name, raw.env_file, at('env_file'), ctx),
          ...listOrDict(raw.environment, at('environment'), ctx),
        };
  // `KEY` alone takes the value from the environment the project is loaded with (the client's), as compose does.
  for (const k of Object.keys(svc.environment)) {
    if (svc.environment[k] === null && Object.hasOwn(ctx.env, k)) svc.environment[k] = ctx.env[k]!;
  }

  if (raw.build != null) {
    const b = normalizeBuild(raw.build, at('build'), ctx);
    if (b) svc.build = b;
  }
  if (raw.ports != null) svc.ports = normalizePorts(raw.ports, at('ports'), ctx);
  if (raw.expose != null) svc.expose = stringList(raw.expose, at('expose'), ctx);
  if (raw.volumes != null) svc.volumes = normalizeVolumes(raw.volumes, at('volumes'), ctx);
  if (raw.networks != null) svc.networks = normalizeServiceNetworks(raw.networks, at('networks'), ctx);
  if (Object.keys(svc.networks).length === 0 && raw.network_mode == null) svc.networks = { default: null };
  if (raw.depends_on != null) svc.depends_on = normalizeDependsOn(raw.depends_on, at('depends_on'), ctx);
  if (raw.healthcheck != null) {
    const h = normalizeHealthcheck(raw.healthcheck, at('healthcheck'), ctx);
    if (h) svc.healthcheck = h;
  }
  if (isDict(raw.logging)) {
    svc.logging = {};
    const driver = scalarString(raw.logging.driver);
    if (driver !== undefined) svc.logging.driver = driver;
    if (raw.logging.options != null)
      svc.logging.options = stringMap(raw.logging.options, at('logging', 'options'), ctx);
  }
  if (raw.extra_hosts != null) svc.extra_hosts = extraHosts(raw.extra_hosts, at('extra_hosts'), ctx);
  if (raw.ulimits != null) svc.ulimits = normalizeUlimits(raw.ulimits, at('ulimits'), ctx);
  if (raw.devices != null) svc.devices = normalizeDevices(raw.devices, at('devices'), ctx);
  if (raw.secrets != null) svc.secrets = fileReferences(raw.secrets, at('secrets'), ctx);
  if (raw.configs != null) svc.configs = fileReferences(raw.configs, at('configs'), ctx);
  if (raw.provider != null) {
    const provider = normalizeProvider(raw.provider, at('provider'), ctx);
    if (provider) svc.provider = provider;
  }
  if (raw.pre_start != null) {
    svc.pre_start = normalizePreStart(raw.pre_start, at('pre_start'), ctx, {
      volumes: normalizeVolumes,
      envFiles: (value, path, c) => readEnvFiles(name, value, path, c),
    });
  }
  if (raw.post_start != null) svc.post_start = normalizeHooks(raw.post_start, at('post_start'), ctx);
  if (raw.pre_stop != null) svc.pre_stop = normalizeHooks(raw.pre_stop, at('pre_stop'), ctx);
  if (raw.develop != null) {
    const d = normalizeDevelop(raw.develop, at('develop'), ctx, svc.build !== undefined);
    if (d) svc.develop = d;
  }
  if (raw.deploy != null) {
    const d = normalizeDeploy(raw.deploy, at('deploy'), ctx);
    if (d) svc.deploy = d;
  }
  const scale = raw.scale == null ? undefined : toInt(raw.scale);
  if (raw.scale != null && (scale === undefined || scale < 0))
    bad(at('scale'), 'scale must be a non-negative integer');
  const replicas = svc.deploy?.replicas;
  if (scale !== undefined && replicas !== undefined && scale !== replicas) {
    ctx.report({
      code: 'SCALE_CONFLICT',
      path: at('scale'),
      message: `scale (${scale}) and deploy.replicas (${replicas}) disagree`,
      hint: 'set only one of them',
    });
  }
  svc.scale = scale ?? replicas ?? 1;
  for (const key of Object.keys(raw)) {
    if (UNCARRIED_SERVICE_KEYS.has(key)) {
      ctx.report({
        code: 'NOT_SUPPORTED',
        severity: 'warning',
        path: at(key),
        at: 'key',
        message: `"${key}" is not supported by orc yet and is ignored`,
      });
    }
  }
  return svc;
}

function normalizeProvider(
  value: unknown,
  path: KeyPath,
  ctx: NormalizeContext,
): ServiceProvider | undefined {
  if (!isDict(value)) return undefined;
  const type = scalarString(value.type);
  if (!type) {
    ctx.report({
      code: 'INVALID_VALUE',
      path,
      at: 'key',
      message: 'provider needs a `type`',
      hint: 'name the provider binary or plugin, e.g. `type: model`',
    });
    return undefined;
  }
  const options: Record<string, string | string[]> = {};
  const text = (x: unknown) => scalarString(x) ?? JSON.stringify(x);
  if (isDict(value.options)) {
    for (const [k, v] of Object.entries(value.options)) {
      if (Array.isArray(v)) options[k] = v.filter((x) => x != null).map(text);
      else if (v != null) options[k] = text(v);
    }
  }
  return { type, options };
}

function badDuration(ctx: NormalizeContext, path: KeyPath, value: unknown): void {
  ctx.report({
    code: 'INVALID_VALUE',
    path,
    message: `invalid duration ${JSON.stringify(value)}`,
    hint: 'write a duration like 1m30s, 10s, 1h or 500ms',
  });
}

/** `path` + `key` is where the value is: the path is built only to report a bad duration. */
function duration(value: unknown, path: KeyPath, key: string, ctx: NormalizeContext): number | undefined {
  if (value == null) return undefined;
  const d = parseDuration(value);
  if (d === undefined) badDuration(ctx, [...path, key], value);
  return d;
}

function fileList(
  value: unknown,
): Array<{ path: string; required: boolean; format?: string; index: number }> {
  const items = value == null ? [] : Array.isArray(value) ? value : [value];
  const out: Array<{ path: string; required: boolean; format?: string; index: number }> = [];
  items.forEach((item, index) => {
    if (typeof item === 'string') out.push({ path: item, required: true, index });
    else if (isDict(item) && typeof item.path === 'string') {
      const format = scalarString(item.format);
      out.push({
        path: item.path,
        required: toBool(item.required) ?? true,
        index,
        ...(format ? { format } : {}),
      });
    }
  });
  return out;
}

function readEnvFiles(
  service: string,
  value: unknown,
  path: KeyPath,
  ctx: NormalizeContext,
): Record<string, string> {
  const values: Record<string, string> = {};
  const many = Array.isArray(value);
  for (const f of fileList(value)) {
    const p = many ? [...path, f.index] : path;
    const abs = resolveHostPath(f.path, ctx.workingDir, ctx.env);
    const text = ctx.readText(abs);
    if (text === undefined) {
      if (f.required) {
        // compose reads env files only for the services a command acts on: `up other` still works.
        ctx.report({
          code: 'ENV_FILE',
          services: [service],
          path: p,
          message: `env file ${abs} not found`,
          hint: 'create the file, or declare it with `required: false`',
        });
      }
      continue;
    }
    if (f.format === 'raw') {
      for (const line of text.split(/\r?\n/)) {
        const eq = line.indexOf('=');
        if (line.trim() !== '' && !line.startsWith('#') && eq > 0)
          values[line.slice(0, eq)] = line.slice(eq + 1);
      }
      continue;
    }
    const r = parseDotenv(text, { lookup: (n) => ctx.env[n] ?? values[n] });
    for (const e of r.errors) {
      ctx.report({
        code: 'ENV_FILE',
        path: p,
        message: `${abs}${e.line ? `:${e.line}${e.col ? `:${e.col}` : ''}` : ''}: ${e.message}`,
      });
    }
    Object.assign(values, r.values);
  }
  return values;
}

function readLabelFiles(value: unknown, path: KeyPath, ctx: NormalizeContext): Record<string, string> {
  const values: Record<string, string> = {};
  for (const f of fileList(value)) {
    const abs = resolveHostPath(f.path, ctx.workingDir, ctx.env);
    const text = ctx.readText(abs);
    if (text === undefined) {
      ctx.report({ code: 'ENV_FILE', path: [...path, f.index], message: `label file ${abs} not found` });
      continue;
    }
    Object.assign(values, parseDotenv(text).values);
  }
  return values;
}

function normalizeBuild(value: unknown, path: KeyPath, ctx: NormalizeContext): BuildConfig | undefined {
  const raw: Dict = typeof value === 'string' ? { context: value } : isDict(value) ? value : {};
  if (!isDict(value) && typeof value !== 'string') {
    ctx.report({ code: 'INVALID_VALUE', path, message: 'build must be a path or a mapping' });
    return undefined;
  }
  const context = scalarString(raw.context) ?? '.';
  if (raw.entitlements != null) {
    ctx.report({
      code: 'NOT_SUPPORTED',
      severity: 'warning',
      path: [...path, 'entitlements'],
      at: 'key',
      message: '"build.entitlements" is not supported by orc yet and is ignored',
      hint: 'the engine builds without extra privileges (network.host, security.insecure)',
    });
  }
  const b: BuildConfig = {
    context: isRemoteContext(context) ? context : resolveHostPath(context, ctx.workingDir, ctx.env),
  };
  for (const key of ['dockerfile', 'dockerfile_inline', 'target', 'network', 'isolation'] as const) {
    const s = scalarString(raw[key]);
    if (s !== undefined) b[key] = s;
  }
  if (raw.args != null) b.args = listOrDict(raw.args, [...path, 'args'], ctx);
  if (raw.labels != null) b.labels = stringMap(raw.labels, [...path, 'labels'], ctx);
  if (raw.extra_hosts != null) b.extra_hosts = extraHosts(raw.extra_hosts, [...path, 'extra_hosts'], ctx);
  if (raw.shm_size != null) {
    const n = parseByteSize(raw.shm_size);
    if (n === undefined)
      ctx.report({ code: 'INVALID_VALUE', path: [...path, 'shm_size'], message: 'invalid size' });
    else b.shm_size = n;
  }
  for (const key of ['cache_from', 'cache_to', 'tags', 'platforms', 'ssh'] as const) {
    if (raw[key] != null) b[key] = stringList(raw[key], [...path, key], ctx);
  }
  for (const key of ['no_cache', 'pull', 'privileged'] as const) {
    const v = toBool(raw[key]);
    if (v !== undefined) b[key] = v;
  }
  if (raw.secrets != null) b.secrets = fileReferences(raw.secrets, [...path, 'secrets'], ctx);
  if (raw.additional_contexts != null) {
    const ac: Record<string, string> = {};
    for (const [k, v] of Object.entries(
      listOrDict(raw.additional_contexts, [...path, 'additional_contexts'], ctx),
    )) {
      if (v === null) continue;
      ac[k] = isRemoteContext(v) ? v : resolveHostPath(v, ctx.workingDir, ctx.env);
    }
    b.additional_contexts = ac;
  }
  return b;
}

function normalizePorts(value: unknown, path: KeyPath, ctx: NormalizeContext): ServicePort[] {
  if (!Array.isArray(value)) {
    ctx.report({ code: 'INVALID_VALUE', path, message: 'ports must be a list' });
    return [];
  }
  const out: ServicePort[] = [];
  value.forEach((item, i) => {
    const p = [...path, i];
    if (typeof item === 'string' || typeof item === 'number') {
      const r = parseShortPort(item);
      if (!r.ok)
        ctx.report({
          code: 'INVALID_VALUE',
          path: p,
          message: r.message,
          ...(r.hint ? { hint: r.hint } : {}),
        });
      else {
        for (const port of r.ports) portSourceIndex.set(port, i);
        out.push(...r.ports);
      }
      return;
    }
    if (!isDict(item)) {
      ctx.report({ code: 'INVALID_VALUE', path: p, message: 'a port is a string, a number or a mapping' });
      return;
    }
    const target = toInt(item.target);
    if (target === undefined || target < 1 || target > 65535) {
      ctx.report({
        code: 'INVALID_VALUE',
        path: [...p, 'target'],
        message: `invalid target port ${JSON.stringify(item.target)}`,
        hint: 'a port is an integer from 1 to 65535',
      });
      return;
    }
    const port: ServicePort = { mode: 'ingress', target, protocol: 'tcp' };
    const published = scalarString(item.published);
    if (published !== undefined && published !== '') {
      const m = /^(\d+)(?:-(\d+))?$/.exec(published);
      if (!m || Number(m[1]) > 65535 || Number(m[2] ?? 0) > 65535) {
        ctx.report({
          code: 'INVALID_VALUE',
          path: [...p, 'published'],
          message: `invalid published port ${JSON.stringify(item.published)}`,
          hint: 'a port is an integer from 0 to 65535, or a range like 8000-8010',
        });
        return;
      }
      port.published = published;
    }
    const mode = scalarString(item.mode);
    if (mode === 'host' || mode === 'ingress') port.mode = mode;
    const protocol = scalarString(item.protocol)?.toLowerCase();
    if (protocol === 'tcp' || protocol === 'udp' || protocol === 'sctp') port.protocol = protocol;
    for (const key of ['host_ip', 'name', 'app_protocol'] as const) {
      const s = scalarString(item[key]);
      if (s !== undefined) port[key] = s;
    }
    portSourceIndex.set(port, i);
    out.push(port);
  });
  return out;
}

function normalizeVolumes(value: unknown, path: KeyPath, ctx: NormalizeContext): ServiceVolume[] {
  if (!Array.isArray(value)) {
    ctx.report({ code: 'INVALID_VALUE', path, message: 'volumes must be a list' });
    return [];
  }
  const out: ServiceVolume[] = [];
  value.forEach((item, i) => {
    const p = [...path, i];
    let vol: ServiceVolume;
    if (typeof item === 'string') {
      const r = parseShortVolume(item);
      if (!r.ok) {
        ctx.report({
          code: 'INVALID_VALUE',
          path: p,
          message: r.message,
          ...(r.hint ? { hint: r.hint } : {}),
        });
        return;
      }
      vol = r.volume;
    } else if (isDict(item)) {
      const type = scalarString(item.type) ?? 'volume';
      const target = scalarString(item.target);
      if (!target) {
        ctx.report({ code: 'INVALID_VALUE', path: [...p, 'target'], message: 'a volume needs a target' });
        return;
      }
      vol = { type: type as ServiceVolume['type'], target };
      const source = scalarString(item.source);
      if (source !== undefined && source !== '') vol.source = source;
      const ro = toBool(item.read_only);
      if (ro !== undefined) vol.read_only = ro;
      const consistency = scalarString(item.consistency);
      if (consistency) vol.consistency = consistency;
      if (isDict(item.bind)) {
        vol.bind = {};
        const prop = scalarString(item.bind.propagation);
        if (prop) vol.bind.propagation = prop;
        const chp = toBool(item.bind.create_host_path);
        if (chp !== undefined) vol.bind.create_host_path = chp;
        const se = scalarString(item.bind.selinux);
        if (se === 'z' || se === 'Z') vol.bind.selinux = se;
      }
      if (isDict(item.volume)) {
        vol.volume = {};
        const nocopy = toBool(item.volume.nocopy);
        if (nocopy !== undefined) vol.volume.nocopy = nocopy;
        const sub = scalarString(item.volume.subpath);
        if (sub) vol.volume.subpath = sub;
      }
      if (isDict(item.tmpfs)) {
        vol.tmpfs = {};
        if (item.tmpfs.size != null) {
          const n = parseByteSize(item.tmpfs.size);
          if (n === undefined) {
            ctx.report({ code: 'INVALID_VALUE', path: [...p, 'tmpfs', 'size'], message: 'invalid size' });
          } else vol.tmpfs.size = n;
        }
        const mode = toInt(item.tmpfs.mode);
        if (mode !== undefined) vol.tmpfs.mode = mode;
      }
      if (isDict(item.image)) {
        const sub = scalarString(item.image.subpath);
        vol.image = sub ? { subpath: sub } : {};
      }
    } else {
      ctx.report({ code: 'INVALID_VALUE', path: p, message: 'a volume is a string or a mapping' });
      return;
    }
    if (vol.type === 'bind' && vol.source?.startsWith('~') && !ctx.env.HOME && !ctx.env.USERPROFILE) {
      ctx.report({
        code: 'INVALID_VALUE',
        path: p,
        message: `cannot resolve "~" in "${vol.source}": the client environment has no HOME`,
        hint: 'send HOME with the request, or write an absolute path',
      });
      return;
    }
    if (vol.type === 'bind' && vol.source) vol.source = resolveHostPath(vol.source, ctx.workingDir, ctx.env);
    if (vol.type === 'bind' && !vol.source) {
      ctx.report({ code: 'INVALID_VALUE', path: p, message: 'a bind mount needs a source path' });
      return;
    }
    out.push(vol);
  });
  return out;
}

function normalizeServiceNetworks(
  value: unknown,
  path: KeyPath,
  ctx: NormalizeContext,
): Record<string, ServiceNetwork | null> {
  const out: Record<string, ServiceNetwork | null> = {};
  if (Array.isArray(value)) {
    for (const n of stringList(value, path, ctx)) out[n] = null;
    return out;
  }
  if (!isDict(value)) {
    ctx.report({ code: 'INVALID_VALUE', path, message: 'networks must be a list or a mapping' });
    return out;
  }
  for (const key of Object.keys(value)) {
    const v = value[key];
    if (v == null) {
      out[key] = null;
      continue;
    }
    if (!isDict(v)) {
      ctx.report({ code: 'INVALID_VALUE', path: [...path, key], message: 'expected a mapping or nothing' });
      continue;
    }
    const n: ServiceNetwork = {};
    if (v.aliases != null) n.aliases = stringList(v.aliases, [...path, key, 'aliases'], ctx);
    if (v.link_local_ips != null)
      n.link_local_ips = stringList(v.link_local_ips, [...path, key, 'link_local_ips'], ctx);
    for (const k of ['ipv4_address', 'ipv6_address', 'mac_address'] as const) {
      const s = scalarString(v[k]);
      if (s !== undefined) n[k] = s;
    }
    if (v.driver_opts != null) n.driver_opts = stringMap(v.driver_opts, [...path, key, 'driver_opts'], ctx);
    for (const k of ['priority', 'gw_priority'] as const) {
      const i = toInt(v[k]);
      if (i !== undefined) n[k] = i;
    }
    out[key] = n;
  }
  return out;
}

function normalizeDependsOn(
  value: unknown,
  path: KeyPath,
  ctx: NormalizeContext,
): Record<string, ServiceDependency> {
  const out: Record<string, ServiceDependency> = {};
  if (Array.isArray(value)) {
    for (const name of stringList(value, path, ctx)) {
      out[name] = { condition: 'service_started', required: true, restart: false };
    }
    return out;
  }
  if (!isDict(value)) {
    ctx.report({ code: 'INVALID_VALUE', path, message: 'depends_on must be a list or a mapping' });
    return out;
  }
  for (const name of Object.keys(value)) {
    const v = value[name];
    const d = isDict(v) ? v : {};
    const condition = scalarString(d.condition) ?? 'service_started';
    if (!CONDITIONS.has(condition)) {
      ctx.report({
        code: 'INVALID_VALUE',
        path: [...path, name, 'condition'],
        message: `unknown condition "${condition}"`,
        hint: 'use service_started, service_healthy or service_completed_successfully',
      });
    }
    out[name] = {
      condition: CONDITIONS.has(condition) ? (condition as DependencyCondition) : 'service_started',
      required: toBool(d.required) ?? true,
      restart: toBool(d.restart) ?? false,
    };
  }
  return out;
}

const HEALTH_DURATIONS = ['interval', 'timeout', 'start_period', 'start_interval'] as const;

function normalizeHealthcheck(value: unknown, path: KeyPath, ctx: NormalizeContext): Healthcheck | undefined {
  if (!isDict(value)) {
    ctx.report({ code: 'INVALID_VALUE', path, message: 'healthcheck must be a mapping' });
    return undefined;
  }
  const h: Healthcheck = {};
  if (typeof value.test === 'string') h.test = ['CMD-SHELL', value.test];
  else if (value.test != null) h.test = stringList(value.test, [...path, 'test'], ctx);
  for (const key of HEALTH_DURATIONS) {
    // The path is built only for a key that is there (it is only read to report an error).
    if (value[key] == null) continue;
    const d = duration(value[key], path, key, ctx);
    if (d !== undefined) h[key] = d;
  }
  if (value.retries != null) {
    const r = toInt(value.retries);
    if (r === undefined || r < 0) {
      ctx.report({
        code: 'INVALID_VALUE',
        path: [...path, 'retries'],
        message: 'retries must be a non-negative integer',
      });
    } else h.retries = r;
  }
  const disable = toBool(value.disable);
  if (disable !== undefined) h.disable = disable;
  return h;
}

function normalizeUlimits(value: unknown, path: KeyPath, ctx: NormalizeContext): Record<string, Ulimit> {
  const out: Record<string, Ulimit> = {};
  if (!isDict(value)) {
    ctx.report({ code: 'INVALID_VALUE', path, message: 'ulimits must be a mapping' });
    return out;
  }
  for (const [name, v] of Object.entries(value)) {
    const single = toInt(v);
    if (single !== undefined) out[name] = { soft: single, hard: single };
    else if (isDict(v) && toInt(v.soft) !== undefined && toInt(v.hard) !== undefined) {
      out[name] = { soft: toInt(v.soft)!, hard: toInt(v.hard)! };
    } else {
      ctx.report({
        code: 'INVALID_VALUE',
        path: [...path, name],
        message: 'a ulimit is an integer or {soft, hard}',
      });
    }
  }
  return out;
}

function normalizeDevices(
  value: unknown,
  path: KeyPath,
  ctx: NormalizeContext,
): Array<{ source: string; target: string; permissions?: string }> {
  const out: Array<{ source: string; target: string; permissions?: string }> = [];
  if (!Array.isArray(value)) return out;
  value.forEach((item, i) => {
    if (typeof item === 'string') {
      const [source, target, permissions] = item.split(':');
      if (!source) {
        ctx.report({ code: 'INVALID_VALUE', path: [...path, i], message: `invalid device "${item}"` });
        return;
      }
      out.push({ source, target: target || source, ...(permissions ? { permissions } : {}) });
    } else if (isDict(item) && typeof item.source === 'string') {
      const permissions = scalarString(item.permissions);
      out.push({
        source: item.source,
        target: scalarString(item.target) ?? item.source,
        ...(permissions ? { permissions } : {}),
      });
    } else ctx.report({ code: 'INVALID_VALUE', path: [...path, i], message: 'invalid device' });
  });
  return out;
}

function fileReferences(value: unknown, path: KeyPath, ctx: NormalizeContext): ServiceFileReference[] {
  const out: ServiceFileReference[] = [];
  if (!Array.isArray(value)) {
    ctx.report({ code: 'INVALID_VALUE', path, message: 'expected a list' });
    return out;
  }
  value.forEach((item, i) => {
    if (typeof item === 'string') out.push({ source: item });
    else if (isDict(item) && typeof item.source === 'string') {
      const ref: ServiceFileReference = { source: item.source };
      for (const k of ['target', 'uid', 'gid'] as const) {
        const s = scalarString(item[k]);
        if (s !== undefined) ref[k] = s;
      }
      const mode = toInt(item.mode);
      if (mode !== undefined) ref.mode = mode;
      out.push(ref);
    } else
      ctx.report({
        code: 'INVALID_VALUE',
        path: [...path, i],
        message: 'expected a name or {source, target}',
      });
  });
  return out;
}

function normalizeResources(value: unknown, path: KeyPath, ctx: NormalizeContext): Resources | undefined {
  if (!isDict(value)) return undefined;
  const r: Resources = {};
  if (value.cpus != null) {
    const n = toNumber(value.cpus);
    if (n === undefined)
      ctx.report({ code: 'INVALID_VALUE', path: [...path, 'cpus'], message: 'cpus must be a number' });
    else r.cpus = n;
  }
  if (value.memory != null) {
    const n = parseByteSize(value.memory);
    if (n === undefined) {
      ctx.report({
        code: 'INVALID_VALUE',
        path: [...path, 'memory'],
        message: `invalid size ${JSON.stringify(value.memory)}`,
        hint: 'write a byte size like 512m, 1g, 100k or 1024',
      });
    } else r.memory = n;
  }
  const pids = toInt(value.pids);
  if (pids !== undefined) r.pids = pids;
  if (Array.isArray(value.devices)) r.devices = value.devices.filter(isDict);
  if (Array.isArray(value.generic_resources)) {
    r.generic_resources = value.generic_resources.filter(isDict).flatMap((g) => {
      const spec = isDict(g.discrete_resource_spec) ? g.discrete_resource_spec : undefined;
      const kind = scalarString(spec?.kind);
      const n = toNumber(spec?.value);
      return kind && n !== undefined ? [{ discrete_resource_spec: { kind, value: n } }] : [];
    });
  }
  return r;
}

function updateConfig(value: Dict, path: KeyPath, ctx: NormalizeContext): UpdateConfig {
  const u: UpdateConfig = {};
  const par = toInt(value.parallelism);
  if (par !== undefined) u.parallelism = par;
  for (const key of ['delay', 'monitor'] as const) {
    const d = duration(value[key], path, key, ctx);
    if (d !== undefined) u[key] = d;
  }
  const fa = scalarString(value.failure_action);
  if (fa === 'continue' || fa === 'rollback' || fa === 'pause') u.failure_action = fa;
  else if (fa !== undefined) {
    ctx.report({
      code: 'INVALID_VALUE',
      path: [...path, 'failure_action'],
      message: `unknown failure_action "${fa}"`,
    });
  }
  const ratio = toNumber(value.max_failure_ratio);
  if (ratio !== undefined) u.max_failure_ratio = ratio;
  const order = scalarString(value.order);
  if (order === 'stop-first' || order === 'start-first') u.order = order;
  else if (order !== undefined) {
    ctx.report({
      code: 'INVALID_VALUE',
      path: [...path, 'order'],
      message: `unknown order "${order}"`,
      hint: 'use stop-first or start-first',
    });
  }
  return u;
}

function normalizeDeploy(value: unknown, path: KeyPath, ctx: NormalizeContext): Deploy | undefined {
  if (!isDict(value)) return undefined;
  const d: Deploy = {};
  const mode = scalarString(value.mode);
  if (mode) d.mode = mode;
  if (value.replicas != null) {
    const n = toInt(value.replicas);
    if (n === undefined || n < 0) {
      ctx.report({
        code: 'INVALID_VALUE',
        path: [...path, 'replicas'],
        message: 'replicas must be a non-negative integer',
      });
    } else d.replicas = n;
  }
  if (value.labels != null) d.labels = stringMap(value.labels, [...path, 'labels'], ctx);
  if (isDict(value.resources)) {
    // Key paths and objects only for what is there: this runs for every service of the file.
    const r = value.resources;
    const limits = isDict(r.limits)
      ? normalizeResources(r.limits, [...path, 'resources', 'limits'], ctx)
      : undefined;
    const reservations = isDict(r.reservations)
      ? normalizeResources(r.reservations, [...path, 'resources', 'reservations'], ctx)
      : undefined;
    d.resources = {};
    if (limits) d.resources.limits = limits;
    if (reservations) d.resources.reservations = reservations;
  }
  if (isDict(value.restart_policy)) {
    const rp = value.restart_policy;
    const p = [...path, 'restart_policy'];
    d.restart_policy = {};
    const cond = scalarString(rp.condition);
    if (cond === 'none' || cond === 'on-failure' || cond === 'any') d.restart_policy.condition = cond;
    else if (cond !== undefined) {
      ctx.report({
        code: 'INVALID_VALUE',
        path: [...p, 'condition'],
        message: `unknown restart condition "${cond}"`,
        hint: 'use none, on-failure or any',
      });
    }
    const delay = duration(rp.delay, p, 'delay', ctx);
    if (delay !== undefined) d.restart_policy.delay = delay;
    const window = duration(rp.window, p, 'window', ctx);
    if (window !== undefined) d.restart_policy.window = window;
    const max = toInt(rp.max_attempts);
    if (max !== undefined) d.restart_policy.max_attempts = max;
  }
  if (isDict(value.update_config)) {
    d.update_config = updateConfig(value.update_config, [...path, 'update_config'], ctx);
  }
  if (isDict(value.rollback_config)) {
    d.rollback_config = updateConfig(value.rollback_config, [...path, 'rollback_config'], ctx);
  }
  if (isDict(value.placement)) d.placement = value.placement;
  const em = scalarString(value.endpoint_mode);
  if (em) d.endpoint_mode = em;
  return d;
}
