/** compose's top-level `jobs:` (experimental, run by Docker Engine's jobs extension): refused by name, located. */
import { describe, expect, it } from 'vitest';
import { expectErrors, loadText } from '../load/temp-project.js';

const JOBS = `services:
  web:
    image: x
jobs:
  migrate:
    image: example/migrations
    triggers:
      manual: true
`;

describe('top-level jobs', () => {
  it('is refused as unsupported, naming it, at its line, with what to do instead', async () => {
    const errors = expectErrors(await loadText(JOBS));
    expect(errors).toHaveLength(1);
    const [e] = errors;
    expect(e).toMatchObject({ code: 'NOT_SUPPORTED', path: 'jobs', line: 4, col: 1 });
    expect(e?.message).toContain('top-level "jobs" is not supported by orc');
    expect(e?.message).toContain('jobs extension');
    expect(e?.hint).toContain('orc run');
  });

  it('a key nobody knows is still an unknown key, with a guess', async () => {
    const errors = expectErrors(await loadText('services:\n  web: {image: x}\nnetwork:\n  n: {}\n'));
    expect(errors[0]).toMatchObject({ code: 'UNKNOWN_KEY', line: 3 });
    expect(errors[0]?.hint).toContain('networks');
  });
});
