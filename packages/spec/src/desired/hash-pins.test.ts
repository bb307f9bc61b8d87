import { describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex } from '../hash/canonical.js';
import { expectOk, loadText } from '../load/temp-project.js';
import { desiredState } from './desired-state.js';

/**
 * Hashes computed on main (c8d02b0) before the loader's performance work (issue 17, item 1), pinned:
 * a config hash that changes for the same input recreates every user's containers on upgrade. A
 * faster loader or canonical writer must give these same values. Change them only on purpose (and
 * say so in the release notes).
 */
const TEXT = `
x-common: &common
  image: orc-fixture/busybox:\${TAG:-1}
  restart: unless-stopped
  labels:
    com.example.team: bench
  logging:
    driver: json-file
    options: { max-size: "1m", max-file: "2" }
services:
  web:
    <<: *common
    command: ["sh", "-c", "httpd -f -p 80"]
    environment:
      SERVICE_NAME: web
      REGION: \${REGION:-eu}
      DEBUG: "false"
      EMPTY:
      QUOTED: "a \\"b\\" \\\\ c\\n\\t é ☃ \\u0001 \\U0001F600"
      Zed: "1"
      _under: "2"
      é: "3"
    ports:
      - "80"
      - "127.0.0.1:8080:8080/udp"
      - target: 443
        published: "8443"
    expose: ["9000"]
    volumes:
      - data:/data
      - ./conf:/conf:ro
      - type: tmpfs
        target: /tmp
        tmpfs: { size: 64m }
    networks:
      front:
        aliases: [www]
      back: {}
    healthcheck:
      test: ["CMD-SHELL", "wget -qO- http://localhost/ || exit 1"]
      interval: 10s
      timeout: 2s
      retries: 3
    deploy:
      replicas: 1
      resources:
        limits: { memory: 64m, cpus: "0.25" }
    secrets: [token]
    configs:
      - source: site
        target: /etc/site.conf
    ulimits:
      nofile: { soft: 1024, hard: 2048 }
    sysctls: { net.core.somaxconn: "1024" }
    extra_hosts: ["db.local:10.0.0.5"]
    x-team: web
    x-nested: { b: [1, 2.5, true, null, { z: 1, a: "" }], a: {} }
  worker:
    <<: *common
    build:
      context: ./worker
      args: { MODE: fast }
    entrypoint: /bin/sh
    command: -c "sleep 1000"
    user: "1000:1000"
    working_dir: /work
    depends_on:
      web:
        condition: service_healthy
    network_mode: "service:web"
    stop_grace_period: 1m30s
    environment: [A=1, B=two words]
  db:
    image: orc-fixture/busybox:1
    labels: [z=1, a=2]
    volumes:
      - type: volume
        source: data
        target: /var/lib/db
        volume: { nocopy: true }
    networks: [back]
    cap_add: [NET_ADMIN]
    tmpfs: /run
    shm_size: 128m
networks:
  front: {}
  back:
    driver: bridge
    internal: true
    ipam:
      config:
        - subnet: 10.99.0.0/24
    labels: { tier: back }
volumes:
  data:
    labels: { keep: "yes" }
secrets:
  token:
    environment: TOKEN
configs:
  site:
    content: "listen 80"
`;

const PINNED = {
  services: {
    db: '6ffa3d59e15e51b6def2e9d43902f4700bd88296d591c80d91144073c0ab6776',
    web: 'ba415faf562b0f26ee42948d2df718096086689e4eb8220c6ac00825ff11d131',
    worker: 'da7f88b76bca4fcf43a2a63b47c617a1d47b9be4618083d37c18dcc89b9d4521',
  },
  networks: {
    back: 'b4e0f01ae197955eb7cc244cf0174e1a1077887833092ca6670ad12781e3c610',
    front: '86fe05b79e94c48d4d0ca52aa95a3f3511409081bace2c23921e3ef219f26a1f',
  },
  volumes: { data: '82bc82b74118de38c823c79b483036efefde30541f6ec5d57ceaa8254c751042' },
  // Every create body, label and hash of the state, in canonical JSON.
  whole: '147d2f2427fe7e8f85dbfdd7d8755873783f8688023036cdb09c9101993d51e9',
};

describe('config hashes stay the values main computed', () => {
  it('gives the pinned service, network and volume hashes and the same desired-state bytes', async () => {
    const project = expectOk(
      await loadText(TEXT, { env: { HOME: '/home/u', TOKEN: 's3cret', REGION: 'us' }, projectName: 'pins' }),
    );
    const state = desiredState(project);
    const got = {
      services: Object.fromEntries(state.services.map((s) => [s.name, s.hash])),
      networks: Object.fromEntries(state.networks.map((n) => [n.key, n.hash])),
      volumes: Object.fromEntries(state.volumes.map((v) => [v.key, v.hash])),
      whole: sha256Hex(canonicalJson(state)),
    };
    expect(got).toEqual(PINNED);
  });
});
