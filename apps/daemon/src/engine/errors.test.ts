import { describe, expect, it } from 'vitest';
import { OrcError } from '../contract/errors.js';
import { mapEngineError } from './errors.js';

/** dockerode's rejection shape: status, the engine's JSON body, and its own message prefix. */
const dockerodeError = (statusCode: number, message: string) =>
  Object.assign(new Error(`(HTTP code ${statusCode}) unexpected - ${message}`), {
    statusCode,
    json: { message },
  });

describe('mapEngineError', () => {
  it('names the port and says what to do when it is taken', () => {
    const e = mapEngineError(
      dockerodeError(
        500,
        'driver failed programming external connectivity on endpoint demo-web-1 (abc): Bind for 0.0.0.0:8080 failed: port is already allocated',
      ),
      'container demo-web-1',
    );
    expect(e.code).toBe('PORT_ALLOCATED');
    expect(e.message).toBe(
      'container demo-web-1: port 0.0.0.0:8080 is already in use on the host; stop what uses it or publish another port',
    );
  });

  it('tells a missing image from a missing resource', () => {
    expect(mapEngineError(dockerodeError(404, 'No such image: nope:1'), 'container x').code).toBe(
      'IMAGE_MISSING',
    );
    const nf = mapEngineError(dockerodeError(404, 'No such container: x'), 'container x');
    expect([nf.code, nf.message]).toEqual(['NOT_FOUND', 'container x not found: No such container: x']);
  });

  it('maps conflicts, bad requests and the rest', () => {
    expect(mapEngineError(dockerodeError(409, 'name in use'), 'c').code).toBe('CONFLICT');
    expect(mapEngineError(dockerodeError(400, 'bad'), 'c').code).toBe('INVALID_REQUEST');
    expect(mapEngineError(dockerodeError(500, 'boom'), 'c')).toMatchObject({
      code: 'ENGINE_ERROR',
      message: 'c: boom',
    });
  });

  it('says the engine is unreachable on socket errors', () => {
    const e = mapEngineError(
      Object.assign(new Error('connect ENOENT /var/run/docker.sock'), { code: 'ENOENT' }),
      'x',
    );
    expect(e.code).toBe('ENGINE_UNREACHABLE');
    expect(e.message).toContain('is dockerd running');
  });

  it('passes our own errors through', () => {
    const ours = new OrcError('NAME_IN_USE', 'taken');
    expect(mapEngineError(ours, 'x')).toBe(ours);
  });
});
