import { describe, expect, it } from 'vitest';
import { expectErrors, expectOk, loadText } from './temp-project.js';
import { parseComposeYaml } from './yaml.js';

function billionLaughs(levels: number): string {
  const lines = ['x-a0: &a0 "lol"'];
  for (let i = 1; i <= levels; i++) {
    const refs = Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ');
    lines.push(`x-a${i}: &a${i} [${refs}]`);
  }
  lines.push('services:', '  s: {image: x}');
  return `${lines.join('\n')}\n`;
}

describe('YAML features', () => {
  it('anchors and merge keys', async () => {
    const p = expectOk(
      await loadText(
        [
          'x-common: &common',
          '  image: base',
          '  environment: {A: "1"}',
          'services:',
          '  a:',
          '    <<: *common',
          '  b:',
          '    <<: *common',
          '    image: own',
        ].join('\n'),
      ),
    );
    expect(p.services.a?.image).toBe('base');
    expect(p.services.b?.image).toBe('own');
    expect(p.services.b?.environment).toEqual({ A: '1' });
  });

  it('150 services each with <<: *common load (beyond the yaml default of 100 aliases)', async () => {
    const lines = [
      'x-common: &common',
      '  image: busybox',
      '  restart: always',
      '  environment: {A: "1"}',
      'services:',
    ];
    for (let i = 0; i < 150; i++) lines.push(`  s${i}:`, '    <<: *common', `    hostname: h${i}`);
    const p = expectOk(await loadText(lines.join('\n')));
    expect(Object.keys(p.services)).toHaveLength(150);
    expect(p.services.s149).toMatchObject({ image: 'busybox', restart: 'always', hostname: 'h149' });
  });

  it('a 10-level billion laughs is refused with YAML_LIMIT', async () => {
    const errors = expectErrors(await loadText(billionLaughs(10)));
    expect(errors).toHaveLength(1);
    expect(errors[0]?.code).toBe('YAML_LIMIT');
    expect(errors[0]?.message).toMatch(/expands to more than 10\^15 nodes|expands to \d+ nodes/);
  });

  it('a 3-level expansion (1,111 nodes) is fine; 5 levels exceed the alias budget; 6 levels the node limit', async () => {
    expect((await loadText(billionLaughs(3))).ok).toBe(true);
    const five = parseComposeYaml('f.yaml', billionLaughs(5));
    expect(!five.ok && five.errors[0]?.code).toBe('YAML_LIMIT');
    const six = parseComposeYaml('f.yaml', billionLaughs(6));
    expect(!six.ok && six.errors[0]?.message).toMatch(/expands to 12\d{5} nodes/);
  });

  it('deep nesting is refused', () => {
    const deep = `x-deep: ${'['.repeat(300)}${']'.repeat(300)}\n`;
    const r = parseComposeYaml('f.yaml', deep);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]?.code).toBe('YAML_LIMIT');
  });

  it('a file over the size limit is refused before parsing', () => {
    const r = parseComposeYaml('f.yaml', 'x: 1\n'.repeat(100), { limits: { maxBytes: 100 } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]?.code).toBe('FILE_TOO_LARGE');
  });

  it.each<[string, unknown]>([
    ['mode: 0440', 0o440],
    ['mode: 0o440', 0o440],
    ['mode: 440', 440],
    ['mode: "0440"', '0440'],
  ])('%s', (text, expected) => {
    const r = parseComposeYaml('f.yaml', text);
    expect(r.ok && (r.parsed.tree as { mode: unknown }).mode).toBe(expected);
  });

  it.each<[string, unknown]>([
    ['v: yes', 'yes'],
    ['v: on', 'on'],
    ['v: true', true],
    ['v: ~', null],
    ['v: 1e3', 1000],
  ])('YAML 1.2 scalars like compose: %s', (text, expected) => {
    const r = parseComposeYaml('f.yaml', text);
    expect(r.ok && (r.parsed.tree as { v: unknown }).v).toEqual(expected);
  });

  it('records key and value positions for every path', () => {
    const r = parseComposeYaml('f.yaml', 'services:\n  web:\n    ports:\n      - "80:80"\n');
    if (!r.ok) throw new Error('parse failed');
    const pos = r.parsed.source.positions;
    expect(pos.get(['services', 'web'])).toEqual({
      key: { line: 2, col: 3 },
      value: { line: 3, col: 5 },
    });
    expect(pos.get(['services', 'web', 'ports', 0])).toEqual({ value: { line: 4, col: 9 } });
  });

  it('an unresolved alias is a YAML error, not a crash', async () => {
    const errors = expectErrors(await loadText('services:\n  s: *nothing\n'));
    expect(['YAML_SYNTAX', 'YAML_LIMIT']).toContain(errors[0]?.code);
  });

  it('tabs for indentation are reported with a hint', async () => {
    const errors = expectErrors(await loadText('services:\n\tweb: {image: x}\n'));
    expect(errors[0]?.code).toBe('YAML_SYNTAX');
    expect(errors[0]?.line).toBe(2);
  });

  it('an unknown tag is a located warning', async () => {
    const r = await loadText('services:\n  s: {image: !weird x}\n');
    expect(r.warnings.find((w) => w.code === 'YAML_SYNTAX')).toMatchObject({ line: 2, col: 14 });
  });
});

describe('duplicate keys', () => {
  it('are found in linear time and located', () => {
    const lines = ['x-big:'];
    for (let i = 0; i < 3_000; i++) lines.push(`  k${i}: v`);
    lines.push('  k7: again');
    const r = parseComposeYaml('f.yaml', lines.join('\n'));
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.errors).toEqual([expect.objectContaining({ code: 'YAML_SYNTAX', line: 3_002, col: 3 })]);
  });

  it('several maps merge through one merge key with a list', () => {
    const r = parseComposeYaml('f.yaml', 'a: &a {x: 1}\nb: &b {y: 1}\nc:\n  <<: [*a, *b]\n  z: 1\n');
    expect(r.ok && (r.parsed.tree as { c: unknown }).c).toEqual({ x: 1, y: 1, z: 1 });
  });
});

describe('exact locations of syntax and limit errors (issue 16 item 8)', () => {
  it('an unclosed quote is reported where it opens, not where the file ends', () => {
    const text = [
      'services:',
      '  web:',
      '    image: x',
      '    environment:',
      '      A: "unclosed',
      '    command: y',
      '  db:',
      '',
    ].join('\n');
    const r = parseComposeYaml('f.yaml', text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatchObject({ code: 'YAML_SYNTAX', line: 5, col: 10 });
    const single = parseComposeYaml('f.yaml', "services:\n  web:\n    image: 'x\n");
    if (!single.ok) expect(single.errors[0]).toMatchObject({ line: 3, col: 12 });
    expect(single.ok).toBe(false);
  });

  it('a quote closed after an escaped one is not taken for an unclosed one', () => {
    expect(parseComposeYaml('f.yaml', 'services:\n  web:\n    image: "a\\\\"\n').ok).toBe(true);
  });

  it('an alias bomb names the line of the alias that crossed the limit', () => {
    const r = parseComposeYaml('f.yaml', billionLaughs(10));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    // Level 6 is the first whose expansion (10^6 nodes) crosses the default limit of 1,000,000.
    expect(r.errors[0]).toMatchObject({ code: 'YAML_LIMIT', line: 7 });
    expect(r.errors[0]?.col).toBeGreaterThan(1);
    expect(r.errors[0]?.message).toMatch(/more than the limit of 1000000; the alias here crossed it/);
  });

  it('a file over the size limit says its size and the limit', () => {
    const r = parseComposeYaml('f.yaml', 'x'.repeat(2000), { limits: { maxBytes: 1000 } });
    expect(!r.ok && r.errors[0]?.message).toBe('file is 2000 bytes, more than the limit of 1000');
  });
});
