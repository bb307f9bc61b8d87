/** What a verb acting on named services also acts on when compose includes their dependencies. */
import type { DesiredState } from '@orc/spec';
import { dependenciesOf } from '../plan/services.js';

/** The services named and, transitively, those they depend on (`build --with-dependencies`, `pull --include-deps`). */
export function withDependencies(desired: DesiredState, names: string[]): string[] {
  const byName = new Map(desired.services.map((s) => [s.name, s]));
  const out = new Set<string>();
  const visit = (name: string) => {
    const s = byName.get(name);
    if (!s || out.has(name)) return;
    out.add(name);
    for (const d of dependenciesOf(s)) visit(d);
  };
  for (const n of names) visit(n);
  return desired.services.map((s) => s.name).filter((n) => out.has(n));
}
