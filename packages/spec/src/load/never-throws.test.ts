// biome-ignore-all lint/suspicious/noTemplateCurlyInString: compose files spell ${VAR} literally
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { isDict } from '../normalize/context.js';
import { normalizeProject } from '../normalize/project.js';
import { checkProject } from '../validate/semantic.js';
import { loadText } from './temp-project.js';

const KEYS = [
  'services',
  'networks',
  'volumes',
  'secrets',
  'configs',
  'include',
  'name',
  'image',
  'build',
  'ports',
  'volumes',
  'environment',
  'env_file',
  'depends_on',
  'extends',
  'command',
  'healthcheck',
  'deploy',
  'scale',
  'networks',
  'network_mode',
  'restart',
  'external',
  'profiles',
  'x-ext',
  'web',
  'db',
  'test',
  'target',
  'source',
  'published',
];

// Trees shaped a little like compose files (known keys, any values), to reach deep into the loader.
const composeLike = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom(
      '8080:80',
      './a:/b:ro',
      '1m30s',
      '512m',
      'service:web',
      '${X:-y}',
      '$',
      '~/x',
      'web',
      '-1',
    ),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom(...KEYS), tie('value'), { maxKeys: 5 }),
  ),
}));

describe('bad input never throws', () => {
  it('arbitrary compose-like trees: a result, and only located, coded problems', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom(...KEYS), composeLike.value, { maxKeys: 6 }),
        async (tree) => {
          const r = await loadText(stringify(tree));
          if (r.ok) return;
          for (const e of r.errors) {
            expect(e.message).not.toMatch(/unexpected failure/);
            expect(typeof e.code).toBe('string');
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('arbitrary text: a result, never an exception', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), async (text) => {
        const r = await loadText(text);
        if (!r.ok) for (const e of r.errors) expect(e.message).not.toMatch(/unexpected failure/);
      }),
      { numRuns: 300 },
    );
  });

  it('normalising and checking trees that skipped the schema never throws', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('web', 'db'), composeLike.value, { maxKeys: 3 }),
        composeLike.value,
        (services, networks) => {
          const tree = { services, networks, volumes: networks };
          const project = normalizeProject(
            { tree, disabled: {}, profiles: [], configFiles: [] },
            {
              projectName: 'p',
              workingDir: '/srv/p',
              env: {},
              readText: () => undefined,
              report: () => {},
            },
          );
          expect(isDict(project.services)).toBe(true);
          checkProject(project);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
