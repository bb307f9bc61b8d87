import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finish, inlineSource, startCore, type TestCore } from './support/core.js';
import { docker, FIXTURE_IMAGE, removeProject, uniqueProject } from './support/engine.js';

interface EndpointInspect {
  IPAMConfig?: { LinkLocalIPs?: string[] } | null;
  DriverOpts?: Record<string, string> | null;
  Aliases?: string[] | null;
}

// API 1.41 takes one network at create; the others are connected before start. Each connect must carry
// its own endpoint's settings (issue 14 item 3: the second network used to lose link_local_ips and
// driver_opts).
describe('executor: every network gets its own endpoint settings', () => {
  const project = uniqueProject('endpoints');
  const yaml = `services:
  web:
    image: ${FIXTURE_IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 86400 & wait"]
    networks:
      front:
        aliases: [web-front]
        link_local_ips: [169.254.10.1]
        driver_opts:
          com.example.front: "1"
      back:
        aliases: [web-back]
        link_local_ips: [169.254.20.1]
        driver_opts:
          com.example.back: "2"
networks:
  front: {}
  back: {}
`;
  let core: TestCore;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    ({ core, dispose } = await startCore({ supervise: false }));
  });
  afterAll(async () => {
    await dispose?.();
    await removeProject(project);
  });

  it('sets link-local IPs, driver options and aliases on both networks', async () => {
    const { record } = await finish(core, core.up(inlineSource(project, yaml), {}));
    expect(record.error).toBeUndefined();
    const networks = JSON.parse(
      await docker('inspect', '--format', '{{json .NetworkSettings.Networks}}', `${project}-web-1`),
    ) as Record<string, EndpointInspect>;
    const front = networks[`${project}_front`];
    const back = networks[`${project}_back`];
    expect(front?.IPAMConfig?.LinkLocalIPs).toEqual(['169.254.10.1']);
    expect(back?.IPAMConfig?.LinkLocalIPs).toEqual(['169.254.20.1']);
    expect(front?.DriverOpts).toEqual({ 'com.example.front': '1' });
    expect(back?.DriverOpts).toEqual({ 'com.example.back': '2' });
    expect(front?.Aliases).toContain('web-front');
    expect(back?.Aliases).toContain('web-back');
  });
});
