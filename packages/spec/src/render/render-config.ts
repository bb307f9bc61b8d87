import { imageName } from '../desired/names.js';
import { serviceHash } from '../hash/service-hash.js';
import { yamlLib } from '../load/yaml-lib.js';
import type { Project } from '../model/project.js';
import { type DocumentOptions, projectDocument } from './document.js';
import { RenderError } from './errors.js';
import { selectServices } from './select.js';

export interface RenderOptions extends DocumentOptions {
  format?: 'yaml' | 'json';
  /** `--hash`: print `<service> <config hash>` lines for these services instead (`*` = all). */
  hash?: string[];
  /**
   * Write literal `$` as `$$` (default true), as compose v2 does (docker/compose#8632): values are
   * already interpolated, so the output must not be interpolated a second time when loaded again.
   */
  escapeDollars?: boolean;
  /** `orc config web api`: only these services and what they need. */
  services?: string[];
}

/** `orc config`: the normalised project as YAML (default) or JSON, or the services' config hashes. */
export function renderConfig(project: Project, opts: RenderOptions = {}): string {
  const selected =
    opts.services && opts.services.length > 0 ? selectServices(project, opts.services) : project;
  if (opts.hash) return renderHashes(selected, opts.hash);
  const doc = projectDocument(selected, { ...opts, json: opts.format === 'json' });
  const text =
    opts.format === 'json'
      ? `${JSON.stringify(doc, null, 2)}\n`
      : // YAML 1.1 quoting: `yes`/`no`/`on` stay strings for readers of either YAML version. No anchors:
        // services that share one object (after `<<: *common`) must each print it in full.
        yamlLib().stringify(doc, {
          version: '1.1',
          lineWidth: 0,
          indent: 2,
          indentSeq: true,
          aliasDuplicateObjects: false,
        });
  return opts.escapeDollars === false ? text : text.replaceAll('$', '$$$$');
}

/** `--hash svc1,svc2` / `--hash '*'`: one `<service> <hash>` line per service, by name. */
export function renderHashes(project: Project, names: string[]): string {
  const all = Object.keys(project.services).sort();
  const wanted = names.includes('*') ? all : [...new Set(names)].sort();
  const unknown = wanted.filter((n) => !(n in project.services));
  if (unknown.length > 0) {
    throw new RenderError(
      'UNKNOWN_SERVICE',
      `no such service: ${unknown.join(', ')}`,
      `services are: ${all.join(', ')}`,
    );
  }
  return wanted
    .map((name) => `${name} ${serviceHash(project.services[name] as Project['services'][string], project)}\n`)
    .join('');
}

/** `--services`: service names, one per line, sorted. */
export function listServices(project: Project): string[] {
  return Object.keys(project.services).sort();
}

/** `--volumes`: volume keys, sorted. */
export function listVolumes(project: Project): string[] {
  return Object.keys(project.volumes ?? {}).sort();
}

/** `--networks`: network keys, sorted. */
export function listNetworks(project: Project): string[] {
  return Object.keys(project.networks ?? {}).sort();
}

/** `--profiles`: every profile any service names, including services left out by the active profiles. */
export function listProfiles(project: Project): string[] {
  const profiles = new Set<string>();
  for (const service of [
    ...Object.values(project.services),
    ...Object.values(project.disabled_services ?? {}),
  ]) {
    for (const profile of service.profiles ?? []) profiles.add(profile);
  }
  return [...profiles].sort();
}

/** `--images`: the image each service runs (`<project>-<service>` for build-only services), by service name. */
export function listImages(project: Project): string[] {
  return listServices(project).map((name) =>
    imageName(project.name, project.services[name] as Project['services'][string]),
  );
}
