/**
 * docs/compose-compat.md's key tables stay true: every key of the schema (services, the top level,
 * networks, volumes, secrets and configs), and what the loader does with it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectOk, loadText } from '../load/temp-project.js';
import { UNCARRIED_RESOURCE_KEYS } from '../normalize/project.js';
import { UNCARRIED_SERVICE_KEYS } from '../normalize/service.js';
import { composeFileShape, serviceShape } from './compose-schema.js';
import type { Shape } from './shape.js';

const doc = readFileSync(new URL('../../../../docs/compose-compat.md', import.meta.url), 'utf8');

function section(title: string): Array<[string, string]> {
  const body = doc.split(`## ${title}`)[1]?.split('\n## ')[0] ?? '';
  return [...body.matchAll(/^\| `([^`]+)` \| ([^|]+?) \|/gm)].map((m) => [
    m[1] as string,
    (m[2] as string).trim(),
  ]);
}

function props(shape: Shape | undefined): Record<string, Shape> {
  if (shape?.kind === 'map') return props(shape.of);
  if (shape?.kind !== 'object') throw new Error('expected an object shape');
  return shape.props;
}

describe('docs/compose-compat.md: service keys', () => {
  it('lists every key of the schema once, and says "acted on" exactly for those the loader carries', () => {
    if (serviceShape.kind !== 'object') throw new Error('serviceShape is an object shape');
    const rows = section('Service keys');
    expect(rows.map(([k]) => k)).toEqual(Object.keys(serviceShape.props).sort());
    for (const [key, status] of rows) {
      expect({ key, acted: status === 'acted on' }).toEqual({ key, acted: !UNCARRIED_SERVICE_KEYS.has(key) });
    }
  });
});

describe('docs/compose-compat.md: top-level keys', () => {
  it('lists every top-level key of the schema once', () => {
    const rows = section('Top-level keys');
    expect(rows.map(([k]) => k)).toEqual(Object.keys(props(composeFileShape)).sort());
  });
});

/** A value of the shape's kind, for a key tried alone. */
function sample(shape: Shape): unknown {
  switch (shape.kind) {
    case 'string':
    case 'scalar':
    case 'any':
      return 'x1';
    case 'bool':
      return true;
    case 'int':
    case 'number':
      return 1;
    case 'enum':
      return shape.values[0];
    case 'list':
      return [sample(shape.of)];
    case 'map':
      return { k1: sample(shape.of) };
    case 'object': {
      const [first] = Object.entries(shape.props);
      return first ? { [first[0]]: sample(first[1]) } : {};
    }
    case 'oneOf':
      return sample(shape.options[0] as Shape);
  }
}

type Kind = 'networks' | 'volumes' | 'secrets' | 'configs';
const ONE: Record<Kind, string> = { networks: 'n1', volumes: 'v1', secrets: 's1', configs: 'c1' };
/** What a resource needs to load at all: a secret or config needs a source. */
const BASE: Record<Kind, Record<string, unknown>> = {
  networks: {},
  volumes: {},
  secrets: { environment: 'SRC' },
  configs: { environment: 'SRC' },
};

/** The loaded resource with `def`, used by a service (so nothing drops it as unused). */
async function resource(kind: Kind, def: Record<string, unknown>): Promise<unknown> {
  const yaml = JSON.stringify({
    services: {
      s: {
        image: 'x',
        networks: [ONE.networks],
        volumes: [`${ONE.volumes}:/data`],
        secrets: [ONE.secrets],
        configs: [ONE.configs],
      },
    },
    networks: { [ONE.networks]: kind === 'networks' ? def : {} },
    volumes: { [ONE.volumes]: kind === 'volumes' ? def : {} },
    secrets: { [ONE.secrets]: kind === 'secrets' ? def : BASE.secrets },
    configs: { [ONE.configs]: kind === 'configs' ? def : BASE.configs },
  });
  const project = expectOk(await loadText(yaml, { env: { SRC: 'v' } }));
  return project[kind][ONE[kind]];
}

/** A key is carried when setting it alone changes what the loader hands on (the Project). */
async function carried(kind: Kind, key: string, shape: Shape): Promise<boolean> {
  const fileObject = kind === 'secrets' || kind === 'configs';
  // A secret or config needs a source; a source key is tried instead of another one.
  const base = fileObject ? (key === 'content' ? { environment: 'SRC' } : { content: 'text' }) : {};
  const sources = ['content', 'environment', 'file', 'external'];
  const value = key === 'external' ? true : sample(shape);
  const without = await resource(kind, base);
  const withKey = await resource(kind, sources.includes(key) ? { [key]: value } : { ...base, [key]: value });
  return JSON.stringify(without) !== JSON.stringify(withKey);
}

describe.each<[string, Kind]>([
  ['Network keys', 'networks'],
  ['Volume keys', 'volumes'],
  ['Secret and config keys', 'secrets'],
  ['Secret and config keys', 'configs'],
])('docs/compose-compat.md: %s (%s)', (title, kind) => {
  it('lists every key of the schema once, and says "acted on" exactly for those the loader carries', async () => {
    const keys = props(props(composeFileShape)[kind]);
    const rows = section(title);
    expect(rows.map(([k]) => k)).toEqual(Object.keys(keys).sort());
    for (const [key, status] of rows) {
      expect({ key, acted: status.startsWith('acted on') }).toEqual({
        key,
        acted: await carried(kind, key, keys[key] as Shape),
      });
      expect({ key, warned: status.includes('located warning') }).toEqual({
        key,
        warned: UNCARRIED_RESOURCE_KEYS[kind].has(key),
      });
    }
  });
});
