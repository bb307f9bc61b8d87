/**
 * Issue 17 item 5 / issue 19: the daemon a unit starts runs with the node flags the CLI's autostart gives its
 * daemon (`--max-semi-space-size=2`: ~25 MB less idle RSS), through NODE_OPTIONS; the doc says so.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DAEMON_NODE_FLAGS } from '../../apps/cli/src/client/autostart.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const read = (rel: string) => readFileSync(join(ROOT, rel), 'utf8');

describe('deploy/orc.service and the autostarted daemon', () => {
  it('sets NODE_OPTIONS to the flags of the autostart, and docs/running-as-a-service.md names it', () => {
    const line = `Environment=NODE_OPTIONS=${DAEMON_NODE_FLAGS.join(' ')}`;
    expect(read('deploy/orc.service').split('\n')).toContain(line);
    expect(read('docs/running-as-a-service.md')).toContain(`\`${line}\``);
  });
});
