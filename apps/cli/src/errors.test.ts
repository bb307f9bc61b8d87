import { describe, expect, it } from 'vitest';
import { ApiError } from './client/http.js';
import { explainApiError } from './context.js';
import { CliError, formatError } from './errors.js';

describe('errors as people read them', () => {
  it('turns INVALID_PROJECT into file:line:col lines with hints', () => {
    const err = explainApiError(
      new ApiError(
        422,
        {
          code: 'INVALID_PROJECT',
          message: 'invalid compose project',
          details: {
            errors: [
              {
                code: 'INVALID_VALUE',
                message: 'invalid restart policy "sometimes"',
                file: '/p/compose.yaml',
                line: 4,
                col: 14,
                path: 'services.web.restart',
                hint: 'use "no", "always", "on-failure" or "unless-stopped"',
              },
              { code: 'SCHEMA', message: 'bad port', file: '/p/compose.yaml', line: 5, col: 22 },
            ],
            warnings: [],
          },
        },
        'invalid compose project',
      ),
    );
    expect(err.exitCode).toBe(1);
    expect(formatError(err, false).split('\n')).toEqual([
      '/p/compose.yaml:4:14: invalid restart policy "sometimes" (at services.web.restart)',
      '  hint: use "no", "always", "on-failure" or "unless-stopped"',
      '/p/compose.yaml:5:22: bad port',
    ]);
  });

  it('adds a hint for known daemon codes', () => {
    const err = explainApiError(
      new ApiError(404, { code: 'PROJECT_NOT_FOUND', message: 'no project x' }, 'no project x'),
    );
    expect(formatError(err, false)).toBe(
      'no project x\n  hint: `orc ls` lists the projects the daemon knows; `orc up -d` creates one',
    );
  });

  it('shows a stack only with --debug', () => {
    const bug = new TypeError('x is undefined');
    expect(formatError(bug, false)).not.toContain(' at ');
    expect(formatError(bug, false)).toContain('--debug');
    expect(formatError(bug, true)).toContain(' at ');
    expect(formatError(new CliError('plain', 1), false)).toBe('plain');
  });
});
