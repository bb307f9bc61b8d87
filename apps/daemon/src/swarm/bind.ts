/**
 * The ids a service spec refers to, bound by name right before the engine call: a desired spec names
 * its (versioned) secrets and configs, and the engine wants their ids. Networks may be bound too (two
 * networks can share a name; the performer knows which one is the project's). Pure.
 */
import type { SwarmServiceSpec } from './types.js';

export interface SwarmIds {
  /** Engine name → id. */
  secrets: Record<string, string>;
  configs: Record<string, string>;
  networks?: Record<string, string>;
}

/** The spec with ids filled in; a name with no id is listed in `missing` (the engine would refuse it). */
export function bindSwarmReferences(
  spec: SwarmServiceSpec,
  ids: SwarmIds,
): { spec: SwarmServiceSpec; missing: string[] } {
  const missing: string[] = [];
  const container = spec.TaskTemplate.ContainerSpec;
  const secrets = container.Secrets?.map((s) => {
    const id = ids.secrets[s.SecretName];
    if (!id) missing.push(`secret ${s.SecretName}`);
    return { ...s, SecretID: id ?? '' };
  });
  const configs = container.Configs?.map((c) => {
    const id = ids.configs[c.ConfigName];
    if (!id) missing.push(`config ${c.ConfigName}`);
    return { ...c, ConfigID: id ?? '' };
  });
  const networks = spec.TaskTemplate.Networks?.map((n) => ({
    ...n,
    Target: ids.networks?.[n.Target] ?? n.Target,
  }));
  return {
    spec: {
      ...spec,
      TaskTemplate: {
        ...spec.TaskTemplate,
        ContainerSpec: {
          ...container,
          ...(secrets ? { Secrets: secrets } : {}),
          ...(configs ? { Configs: configs } : {}),
        },
        ...(networks ? { Networks: networks } : {}),
      },
    },
    missing,
  };
}
