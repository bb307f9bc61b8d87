/** docs/compose-compat.md's service-key table stays true: every schema key, and what the loader does with it. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UNCARRIED_SERVICE_KEYS } from '../normalize/service.js';
import { serviceShape } from './compose-schema.js';

const doc = readFileSync(new URL('../../../../docs/compose-compat.md', import.meta.url), 'utf8');

function section(title: string): Array<[string, string]> {
  const body = doc.split(`## ${title}`)[1]?.split('\n## ')[0] ?? '';
  return [...body.matchAll(/^\| `([^`]+)` \| ([^|]+?) \|/gm)].map((m) => [
    m[1] as string,
    (m[2] as string).trim(),
  ]);
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
