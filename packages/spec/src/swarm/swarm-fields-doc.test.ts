/** docs/swarm-fields.md's service-key table stays true to the code: every schema key, with what swarm does. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UNCARRIED_SERVICE_KEYS } from '../normalize/service.js';
import { serviceShape } from '../validate/compose-schema.js';
import { SWARM_REPORTED, SWARM_TRANSLATED } from './compat.js';

const doc = readFileSync(new URL('../../../../docs/swarm-fields.md', import.meta.url), 'utf8');

describe('docs/swarm-fields.md: service keys', () => {
  it('lists every key of the schema once, with the status the code gives it', () => {
    if (serviceShape.kind !== 'object') throw new Error('serviceShape is an object shape');
    const body = doc.split('## Service keys')[1]?.split('\n## ')[0] ?? '';
    const rows = [...body.matchAll(/^\| `([^`]+)` \| ([^|]+?) \|/gm)].map((m) => [
      m[1],
      (m[2] as string).trim(),
    ]);
    const want = Object.keys(serviceShape.props)
      .sort()
      .map((key) => [
        key,
        key in SWARM_TRANSLATED
          ? 'translated'
          : (SWARM_REPORTED[key]?.severity ?? (UNCARRIED_SERVICE_KEYS.has(key) ? 'warning (loader)' : '?')),
      ]);
    expect(rows).toEqual(want);
  });
});
