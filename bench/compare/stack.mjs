/**
 * The generated stack every tool brings up: `n` services from the fixture image running `sleep` under
 * `init: true` (so SIGTERM stops them at once and `down` measures the tools, not a grace period), on one
 * user network, all mounting one named volume, with a depends_on fan-out:
 *
 *   s0 (healthcheck) ◄─healthy─ s1..s4 (healthchecks) ◄─started─ s5..s(n-1) (round-robin over s1..s4)
 *
 * One level of `service_healthy` keeps the health wait (≈ one 1 s interval) the same for every tool, while
 * the bulk of the stack is plain `service_started` work, where the tools differ.
 * The file is version-less (compose spec): docker-compose 1.29 accepts it as is, conditions included.
 */
export const IMAGE = process.env.ORC_FIXTURE_IMAGE ?? 'orc-fixture/busybox:1';

/** Service names in dependency order, and each one's dependencies with their condition. */
export function stackGraph(n) {
  const services = [];
  for (let i = 0; i < n; i++) {
    const deps = {};
    if (i >= 1 && i <= 4) deps.s0 = 'service_healthy';
    else if (i >= 5) deps[`s${1 + ((i - 5) % 4)}`] = 'service_started';
    services.push({ name: `s${i}`, deps, healthcheck: i <= 4 });
  }
  return services;
}

/** The service changed by the change-one step: the last one, a leaf (nothing depends on it). */
export const changedService = (n) => `s${n - 1}`;

/**
 * A /24 (the engine's default pool here) holds 254 addresses: a larger stack gets a /22 of its own.
 * `slot` keeps the projects of one run apart (10.200.0.0/16 onwards, outside the engine's default pools).
 */
export function subnetFor(n, slot) {
  if (n <= 250) return undefined;
  return `10.${200 + Math.floor(slot / 64)}.${(slot % 64) * 4}.0/22`;
}

/**
 * Compose YAML for the stack; `mode` is the changed service's environment value (`one` → `two`); `subnet`
 * (from `subnetFor`) is the project network's, for stacks larger than one /24.
 */
export function composeText(n, mode = 'one', subnet = undefined) {
  const leaf = changedService(n);
  const lines = ['services:'];
  for (const s of stackGraph(n)) {
    lines.push(
      `  ${s.name}:`,
      `    image: ${IMAGE}`,
      '    command: ["sleep", "86400"]',
      '    init: true',
      `    environment: { MODE: ${s.name === leaf ? mode : 'same'} }`,
      '    networks: [net]',
      '    volumes: ["data:/data"]',
    );
    if (s.healthcheck)
      lines.push(
        '    healthcheck:',
        '      test: ["CMD", "true"]',
        '      interval: 1s',
        '      timeout: 2s',
        '      retries: 30',
      );
    const deps = Object.entries(s.deps);
    if (deps.length) {
      lines.push('    depends_on:');
      for (const [dep, condition] of deps) lines.push(`      ${dep}:`, `        condition: ${condition}`);
    }
  }
  if (subnet) lines.push('networks:', '  net:', '    ipam:', '      config:', `        - subnet: ${subnet}`);
  else lines.push('networks:', '  net: {}');
  lines.push('volumes:', '  data: {}', '');
  return lines.join('\n');
}
