import { describe, expect, it } from 'vitest';
import { swarmFromCompose } from '../../test/support/swarm/fixtures.js';
import { bindSwarmReferences } from './bind.js';

const YAML = `
services: {web: {image: w, secrets: [s], configs: [c], networks: [front]}}
networks: {front: {}}
secrets: {s: {content: "1"}}
configs: {c: {content: "2"}}
`;

describe('bindSwarmReferences', () => {
  it('fills secret and config ids (and network ids) by name, leaving the desired spec as it was', async () => {
    const desired = await swarmFromCompose(YAML);
    const web = desired.services[0];
    const [secret] = desired.secrets;
    const [config] = desired.configs;
    if (!web || !secret || !config) throw new Error('fixture');
    const before = JSON.stringify(web.spec);
    const { spec, missing } = bindSwarmReferences(web.spec, {
      secrets: { [secret.name]: 'sid' },
      configs: { [config.name]: 'cid' },
      networks: { demo_front: 'nid' },
    });
    expect(missing).toEqual([]);
    expect(spec.TaskTemplate.ContainerSpec.Secrets?.map((s) => [s.SecretName, s.SecretID])).toEqual([
      [secret.name, 'sid'],
    ]);
    expect(spec.TaskTemplate.ContainerSpec.Configs?.map((c) => [c.ConfigName, c.ConfigID])).toEqual([
      [config.name, 'cid'],
    ]);
    expect(spec.TaskTemplate.Networks?.map((n) => n.Target)).toEqual(['nid']);
    expect(JSON.stringify(web.spec)).toBe(before);
  });

  it('lists what it cannot bind (the engine would refuse the call), and keeps unbound network names', async () => {
    const desired = await swarmFromCompose(YAML);
    const web = desired.services[0];
    if (!web) throw new Error('fixture');
    const { spec, missing } = bindSwarmReferences(web.spec, { secrets: {}, configs: {} });
    expect(missing).toEqual([`secret ${desired.secrets[0]?.name}`, `config ${desired.configs[0]?.name}`]);
    expect(spec.TaskTemplate.Networks?.map((n) => n.Target)).toEqual(['demo_front']);
  });
});
