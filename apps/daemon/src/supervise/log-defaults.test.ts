import { DEFAULT_LOGGING } from '@orc/spec';
import { describe, expect, it } from 'vitest';
import { containerLogDefaults } from './log-defaults.js';

describe('containerLogDefaults', () => {
  it('leaves the spec default (json-file, bounded) when the operator says nothing', () => {
    expect(containerLogDefaults(undefined, {})).toBeUndefined();
    expect(DEFAULT_LOGGING).toEqual({ driver: 'json-file', options: { 'max-file': '3', 'max-size': '10m' } });
  });
  it('json-file options are merged over the bounded defaults', () => {
    expect(containerLogDefaults(undefined, { 'max-size': '1m' })).toEqual({
      driver: 'json-file',
      options: { 'max-file': '3', 'max-size': '1m' },
    });
    expect(containerLogDefaults('json-file', {})).toEqual(DEFAULT_LOGGING);
  });
  it('another driver gets exactly the options given', () => {
    expect(containerLogDefaults('local', {})).toEqual({ driver: 'local', options: {} });
    expect(containerLogDefaults('syslog', { tag: 'x' })).toEqual({ driver: 'syslog', options: { tag: 'x' } });
  });
});
