import { type Dict, isDict } from '../normalize/context.js';

export interface ProfileSplit {
  enabled: Dict;
  disabled: Dict;
  /** Active profiles, including those of explicitly targeted services. */
  profiles: string[];
}

function profilesOf(svc: unknown): string[] {
  if (!isDict(svc) || !Array.isArray(svc.profiles)) return [];
  return svc.profiles.filter((p): p is string => typeof p === 'string');
}

/**
 * Services without profiles are always on; others need one active profile. A service named on the
 * command line enables its own profiles (`*` enables every profile).
 */
export function applyProfiles(tree: Dict, active: string[], targeted: string[]): ProfileSplit {
  const services = isDict(tree.services) ? tree.services : {};
  const profiles = new Set(active);
  for (const name of targeted) for (const p of profilesOf(services[name])) profiles.add(p);
  const all = profiles.has('*');
  const enabled: Dict = {};
  const disabled: Dict = {};
  for (const [name, svc] of Object.entries(services)) {
    const own = profilesOf(svc);
    if (own.length === 0 || all || own.some((p) => profiles.has(p))) enabled[name] = svc;
    else disabled[name] = svc;
  }
  return { enabled, disabled, profiles: [...profiles].sort() };
}
