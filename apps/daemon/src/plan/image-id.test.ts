import { describe, expect, it } from 'vitest';
import {
  converged,
  desiredState,
  IMAGE,
  IMAGE_ID,
  nothingObserved,
} from '../../test/support/plan/fixtures.js';
import type { Operation, Plan } from './types.js';
import { plan } from './up.js';

type Create = Extract<Operation, { kind: 'create-container' }>;
const creates = (p: Plan) => p.operations.filter((op): op is Create => op.kind === 'create-container');

const v1 = desiredState({ services: [{ name: 'web', environment: { V: '1' } }, { name: 'db' }] });
const v2 = desiredState({ services: [{ name: 'web', environment: { V: '2' } }, { name: 'db' }] });

describe('plan: the image id observe read rides on the create (no second inspect in the executor)', () => {
  it('a fresh create carries the observed id', () => {
    const p = plan(v1, nothingObserved());
    expect(
      creates(p)
        .map((op) => [op.name, op.imageId])
        .sort(),
    ).toEqual([
      ['demo-db-1', IMAGE_ID],
      ['demo-web-1', IMAGE_ID],
    ]);
  });

  it('a replacement carries the observed id', () => {
    const [replacement] = creates(plan(v2, converged(v1)));
    expect(replacement?.replaces).toBeDefined();
    expect(replacement?.imageId).toBe(IMAGE_ID);
  });

  it('not when the image is missing: the plan pulls it, and its id is known only afterwards', () => {
    const p = plan(v1, nothingObserved({}));
    expect(p.operations.some((op) => op.kind === 'ensure-image')).toBe(true);
    expect(creates(p).map((op) => op.imageId)).toEqual([undefined, undefined]);
  });

  it('not when the plan pulls the present image again (--pull always): the id read before is stale', () => {
    const p = plan(v1, nothingObserved({ [IMAGE]: IMAGE_ID }), { pull: 'always' });
    expect(p.operations.some((op) => op.kind === 'ensure-image')).toBe(true);
    expect(creates(p).map((op) => op.imageId)).toEqual([undefined, undefined]);
  });
});
