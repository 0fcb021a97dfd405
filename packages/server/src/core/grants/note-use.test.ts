import { describe, expect, it } from 'vitest';
import type { CoreDeps } from '../deps.js';
import type { Grant } from '../model.js';
import { GRANT_USE_RESOLUTION_SECONDS, noteGrantUse } from './note-use.js';

describe('noteGrantUse', () => {
  it('records a use when none is recorded or the last one is an hour old, and skips the write otherwise', async () => {
    const touched: number[] = [];
    const deps = { stores: { touchGrant: async (_id: string, now: number) => void touched.push(now) } } as unknown as CoreDeps;
    const grant = (lastUsedAt: number | null) => ({ id: 'g', lastUsedAt }) as Grant;
    await noteGrantUse(deps, grant(null), 1000);
    await noteGrantUse(deps, grant(1000), 1000 + GRANT_USE_RESOLUTION_SECONDS - 1);
    await noteGrantUse(deps, grant(1000), 1000 + GRANT_USE_RESOLUTION_SECONDS);
    expect(touched).toEqual([1000, 1000 + GRANT_USE_RESOLUTION_SECONDS]);
  });
});
