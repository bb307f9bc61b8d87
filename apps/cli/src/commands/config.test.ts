import { describe, expect, it } from 'vitest';
import { hashedServices } from './config.js';

// `config --hash a,b` is about those services: the daemon refuses it only for their problems (issue 21 item 3).
describe('config --hash: the services sent to the daemon', () => {
  it.each([
    [undefined, undefined],
    ['*', undefined],
    ['', undefined],
    ['a', ['a']],
    ['a,b', ['a', 'b']],
    ['a,,b', ['a', 'b']],
  ])('--hash %j → %j', (hash, expected) => {
    expect(hashedServices(hash)).toEqual(expected);
  });
});
