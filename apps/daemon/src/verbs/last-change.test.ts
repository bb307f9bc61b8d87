import { describe, expect, it } from 'vitest';
import { createEventBus } from '../contract/event-bus.js';
import { describeEvent, trackLastChanges } from './last-change.js';

describe('last change of a project', () => {
  it('keeps the last resource event per project, with its reason; operations alone change nothing', () => {
    const bus = createEventBus();
    const last = trackLastChanges(bus);
    bus.publish({ type: 'container', project: 'a', service: 'web', container: 'a-web-1', action: 'destroy' });
    bus.publish({
      type: 'recreate',
      project: 'b',
      service: 'api',
      action: 'recreate',
      reason: 'config hash differs: environment.X',
    });
    bus.publish({ type: 'operation', project: 'b', action: 'up succeeded' });
    expect(last.get('a')?.what).toBe('container destroy web (a-web-1)');
    expect(last.get('b')?.what).toBe('recreate api: config hash differs: environment.X');
    expect(last.get('c')).toBeUndefined();
  });
  it('says the type once when the action repeats it', () => {
    expect(describeEvent({ time: 't', type: 'restart', project: 'p', action: 'restart', service: 'w' })).toBe(
      'restart w',
    );
  });
});
