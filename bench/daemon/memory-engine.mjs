/**
 * An engine that answers from an observed state in memory, for the benchmarks of bench/daemon: the
 * lists, inspects and image the daemon's no-op `up` reads, and the lease volume it writes. No I/O.
 */
/** An engine that answers from an observed state in memory (lists, inspects, the image): no I/O. */
export function memoryEngine(observed) {
  const started = new Date(Date.now() - 3_600_000).toISOString();
  /** Volumes made through it (the project's lease). */
  const volumes = new Map();
  const byId = new Map(observed.containers.map((c) => [c.id, c]));
  const item = (c) => ({
    Id: c.id,
    Names: [`/${c.name}`],
    Image: c.image,
    ImageID: c.imageId,
    Command: 'sleep 86400',
    Created: 0,
    Ports: [],
    Labels: c.labels,
    State: 'running',
    Status: 'Up 1 hour',
    NetworkSettings: { Networks: networksOf(c) },
    Mounts: mountsOf(c),
  });
  function mountsOf(c) {
    return c.mounts.map((x) => ({
      Type: x.type,
      Name: x.name,
      Source: x.source,
      Destination: x.destination,
    }));
  }
  function networksOf(c) {
    return Object.fromEntries(
      Object.entries(c.networks).map(([k, e]) => [
        k,
        { NetworkID: e.networkId, Aliases: e.aliases, IPAddress: e.ipv4 },
      ]),
    );
  }
  return {
    listContainers: async (f) => (f.name ? [] : observed.containers.map(item)),
    inspectContainer: async (id) => {
      const c = byId.get(id);
      return c
        ? {
            Id: c.id,
            Name: `/${c.name}`,
            Created: started,
            Image: c.imageId,
            RestartCount: 0,
            Path: 'sleep',
            Args: ['86400'],
            State: {
              Status: 'running',
              Running: true,
              Paused: false,
              Restarting: false,
              OOMKilled: false,
              Dead: false,
              Pid: 1,
              ExitCode: 0,
              Error: '',
              StartedAt: started,
              FinishedAt: '0001-01-01T00:00:00Z',
            },
            Config: { Image: c.image, Labels: c.labels },
            HostConfig: {},
            NetworkSettings: { Networks: networksOf(c), Ports: {} },
            Mounts: c.mounts.map((x) => ({
              Type: x.type,
              Name: x.name,
              Source: x.source,
              Destination: x.destination,
            })),
          }
        : undefined;
    },
    listNetworks: async (f) =>
      f.name
        ? []
        : observed.networks.map((x) => ({ Id: x.id, Name: x.name, Labels: x.labels, Created: x.created })),
    listVolumes: async () => [
      ...observed.volumes.map((v) => ({ Name: v.name, Labels: v.labels })),
      ...volumes.values(),
    ],
    inspectVolume: async (name) => volumes.get(name),
    createVolume: async (body) => {
      volumes.set(body.Name, { Name: body.Name, Labels: body.Labels ?? {} });
    },
    removeVolume: async (name) => {
      volumes.delete(name);
    },
    inspectImage: async () => ({ Id: `sha256:${'a'.repeat(64)}` }),
  };
}

/**
 * What the engine holds after the cold up of `desired`: the plan simulator's result of the plan from an
 * empty project, every container running; `m` is the bundle of bench/daemon/sources.mjs (plan, applyPlan).
 */
export function observedAfterColdUp(m, project, desired, upOptions) {
  const empty = {
    project,
    containers: [],
    networks: [],
    volumes: [],
    images: { 'orc-fixture/busybox:1': `sha256:${'a'.repeat(64)}` },
    foreign: { containersByName: {}, networksByName: {}, volumesByName: {} },
  };
  const observed = m.applyPlan(empty, m.plan(desired, empty, upOptions));
  for (const c of observed.containers) c.state = 'running';
  return observed;
}
