import type { Project, Service } from '../model/project.js';

/** A minimal normalised service, as the loader would produce it. Test-only helper. */
export function svc(name: string, fields: Partial<Service> = {}): Service {
  return {
    name,
    image: 'orc-fixture/busybox:1',
    environment: {},
    labels: {},
    ports: [],
    expose: [],
    volumes: [],
    networks: fields.network_mode === undefined ? { default: null } : {},
    depends_on: {},
    extensions: {},
    ...fields,
  };
}

/** A project named `demo` in `/srv/demo` holding the given services (and a `default` network). */
export function proj(services: Service[], fields: Partial<Project> = {}): Project {
  return {
    name: 'demo',
    working_dir: '/srv/demo',
    config_files: ['/srv/demo/compose.yaml'],
    services: Object.fromEntries(services.map((s) => [s.name, s])),
    networks: { default: { name: 'demo_default', labels: {}, extensions: {} } },
    volumes: {},
    secrets: {},
    configs: {},
    disabled_services: {},
    profiles: [],
    extensions: {},
    ...fields,
  };
}
