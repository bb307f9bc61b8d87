import { describe, expect, it } from 'vitest';
import type { LogLine } from '../client/types.js';
import { palette } from './color.js';
import { logFormatter, shortName } from './logs.js';

const line = (container: string, text: string): LogLine => ({
  service: container.split('-')[1] ?? '',
  container,
  stream: 'stdout',
  time: '2026-01-01T00:00:00.000000001Z',
  line: text,
});

describe('log lines', () => {
  it('prefixes with the container name without the project, padded to the widest', () => {
    const format = logFormatter(
      { project: 'demo', prefix: true, timestamps: false, palette: palette(false) },
      ['demo-db-1', 'demo-api-1'],
    );
    expect(format(line('demo-db-1', 'ready\n'))).toBe('db-1   | ready');
    expect(format(line('demo-api-1', 'hi'))).toBe('api-1  | hi');
  });

  it('gives each container its own colour, and can drop the prefix or add timestamps', () => {
    const coloured = logFormatter({
      project: 'demo',
      prefix: true,
      timestamps: false,
      palette: palette(true),
    });
    const a = coloured(line('demo-a-1', 'x'));
    const b = coloured(line('demo-b-1', 'x'));
    expect(a.slice(0, 5)).not.toBe(b.slice(0, 5));
    const bare = logFormatter({ project: 'demo', prefix: false, timestamps: true, palette: palette(false) });
    expect(bare(line('demo-a-1', 'x'))).toBe('2026-01-01T00:00:00.000000001Z x');
  });

  it('keeps names of other projects whole', () => {
    expect(shortName('demo', 'other-web-1')).toBe('other-web-1');
  });
});
