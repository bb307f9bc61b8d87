import { describe, expect, it } from 'vitest';
import { desiredState } from '../desired/desired-state.js';
import { expectErrors, expectOk, loadText } from '../load/temp-project.js';

describe('provider services', () => {
  it('load without an image or a build, options kept as written (scalars as strings, lists as lists)', async () => {
    const p = expectOk(
      await loadText(
        'services:\n  db:\n    provider:\n      type: model\n      options: {model: ai/smollm2, size: 2, flag: [a, b]}\n  app:\n    image: busybox\n    depends_on: [db]\n',
      ),
    );
    expect(p.services.db?.provider).toEqual({
      type: 'model',
      options: { model: 'ai/smollm2', size: '2', flag: ['a', 'b'] },
    });
    const d = desiredState(p);
    expect(d.services.map((s) => s.name)).toEqual(['db', 'app']);
    expect(d.services[0]?.replicas).toBe(0);
    expect(d.networks.map((n) => n.name)).toEqual([`${p.name}_default`]);
  });

  it('a service with neither image, build nor provider is still refused', async () => {
    const errs = expectErrors(await loadText('services:\n  db:\n    environment: {A: "1"}\n'));
    expect(errs[0]?.message).toContain('has neither an image nor a build context');
  });

  it('a provider without a type is refused where it is', async () => {
    const errs = expectErrors(await loadText('services:\n  db:\n    provider:\n      options: {a: b}\n'));
    expect(errs.map((e) => e.message).join('\n')).toMatch(/type/);
    expect(errs[0]?.line).toBe(3);
  });
});
