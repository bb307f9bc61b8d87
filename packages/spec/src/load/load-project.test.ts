// biome-ignore-all lint/suspicious/noTemplateCurlyInString: compose files spell ${VAR} literally
import { afterEach, describe, expect, it } from 'vitest';
import { loadProject } from './load-project.js';
import type { LoadResult } from './options.js';
import { type TempProject, tempProject } from './temp-project.js';

let tmp: TempProject | undefined;
afterEach(() => {
  tmp?.remove();
  tmp = undefined;
});

function ok(r: LoadResult) {
  if (!r.ok) throw new Error(`expected success, got ${JSON.stringify(r.errors, null, 2)}`);
  return r.project;
}

describe('loadProject, the common case', () => {
  it('loads a single discovered file, interpolates and normalises', async () => {
    tmp = tempProject({
      'compose.yaml': [
        'services:',
        '  web:',
        '    image: "nginx:${TAG:-1.25}"',
        '    ports: ["8080:80"]',
        '    environment: [A=1, B]',
        '    volumes: ["./html:/usr/share/nginx/html:ro", "data:/data"]',
        '    depends_on: [db]',
        '  db:',
        '    image: postgres',
        'volumes:',
        '  data: {}',
      ].join('\n'),
    });
    const p = ok(await loadProject({ workingDir: tmp.dir, env: { TAG: '1.27' } }));
    expect(p.name).toBe('proj');
    expect(p.working_dir).toBe(tmp.dir);
    expect(p.config_files).toEqual([tmp.path('compose.yaml')]);
    const web = p.services.web!;
    expect(web.image).toBe('nginx:1.27');
    expect(web.ports).toEqual([{ mode: 'ingress', target: 80, published: '8080', protocol: 'tcp' }]);
    expect(web.environment).toEqual({ A: '1', B: null });
    expect(web.volumes).toEqual([
      {
        type: 'bind',
        source: tmp.path('html'),
        target: '/usr/share/nginx/html',
        read_only: true,
        bind: { create_host_path: true },
      },
      { type: 'volume', source: 'data', target: '/data', volume: {} },
    ]);
    expect(web.depends_on).toEqual({ db: { condition: 'service_started', required: true, restart: false } });
    expect(web.networks).toEqual({ default: null });
    expect(p.networks.default?.name).toBe('proj_default');
    expect(p.volumes.data?.name).toBe('proj_data');
    expect(web.scale).toBe(1);
  });

  it('returns located errors instead of throwing on a YAML syntax error', async () => {
    const r = await loadProject({
      workingDir: '/nonexistent',
      inline: [{ content: 'services:\n  web:\n    image: [a\n' }],
      env: {},
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]?.code).toBe('YAML_SYNTAX');
    expect(r.errors[0]?.file).toBe('<inline>');
    expect(r.errors[0]?.line).toBeGreaterThan(0);
  });
});
