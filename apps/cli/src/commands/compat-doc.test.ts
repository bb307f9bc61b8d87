/** docs/compose-compat.md's command table stays true: what it says exists is orc's, what it says is missing is not. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../program.js';

const doc = readFileSync(new URL('../../../../docs/compose-compat.md', import.meta.url), 'utf8');

describe('docs/compose-compat.md: commands', () => {
  it('matches orc’s command table', () => {
    const body = doc.split('## Commands')[1]?.split('\n## ')[0] ?? '';
    const rows = [...body.matchAll(/^\| `([^`]+)` \| (same|differs|missing) \|/gm)].map((m) => [m[1], m[2]]);
    expect(rows.length).toBeGreaterThan(25);
    const ours = new Set(buildProgram().commands.map((c) => c.name()));
    for (const [command, status] of rows) {
      expect({ command, present: ours.has(command as string) }).toEqual({
        command,
        present: status !== 'missing',
      });
    }
  });
});
