import { describe, expect, it } from 'vitest';
import { expectOk, loadText } from './temp-project.js';

const yaml = [
  'services:',
  '  web: {image: x}',
  '  debug: {image: x, profiles: [debug]}',
  '  test: {image: x, profiles: [test, ci]}',
  '  tools: {image: x, profiles: [tools]}',
].join('\n');

describe('profiles', () => {
  it.each<
    [string, { profiles?: string[]; services?: string[]; env?: Record<string, string> }, string[], string[]]
  >([
    ['no profile: only services without profiles', {}, ['web'], []],
    ['--profile debug', { profiles: ['debug'] }, ['debug', 'web'], ['debug']],
    ['a service with several profiles, one active', { profiles: ['ci'] }, ['test', 'web'], ['ci']],
    [
      'COMPOSE_PROFILES',
      { env: { COMPOSE_PROFILES: 'debug,tools' } },
      ['debug', 'tools', 'web'],
      ['debug', 'tools'],
    ],
    [
      'COMPOSE_PROFILES and --profile add up',
      { env: { COMPOSE_PROFILES: 'debug' }, profiles: ['test'] },
      ['debug', 'test', 'web'],
      ['debug', 'test'],
    ],
    ['a targeted service enables its profile', { services: ['tools'] }, ['tools', 'web'], ['tools']],
    ['"*" enables all', { profiles: ['*'] }, ['debug', 'test', 'tools', 'web'], ['*']],
    ['an unknown profile enables nothing more', { profiles: ['nope'] }, ['web'], ['nope']],
  ])('%s', async (_, opts, services, profiles) => {
    const p = expectOk(
      await loadText(yaml, { env: opts.env ?? {}, profiles: opts.profiles, services: opts.services }),
    );
    expect(Object.keys(p.services).sort()).toEqual(services);
    expect(p.profiles).toEqual(profiles);
    expect(Object.keys(p.disabled_services).sort()).toEqual(
      ['debug', 'test', 'tools', 'web'].filter((s) => !services.includes(s)),
    );
  });

  it('a disabled service does not drag in its networks or fail on its own references', async () => {
    const p = expectOk(
      await loadText('services:\n  web: {image: x}\n  off: {image: x, profiles: [p], depends_on: [ghost]}\n'),
    );
    expect(Object.keys(p.services)).toEqual(['web']);
  });

  it('a targeted service that does not exist is an error with a suggestion', async () => {
    const r = await loadText(yaml, { services: ['tool'] });
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.errors[0]).toMatchObject({
        code: 'UNKNOWN_SERVICE',
        message: 'no such service: tool',
        hint: 'did you mean "tools"?',
      });
  });
});
