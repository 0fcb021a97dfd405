import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM helper without types
import { medianOfRounds } from './lib/rounds.mjs';

describe('medianOfRounds', () => {
  it('keeps, per scenario and server, the measurement of median rate, with every round beside it', () => {
    const rows = [
      { scenario: 'a', target: 'x', rps: 100, p99: 9 },
      { scenario: 'a', target: 'x', rps: 300, p99: 2 },
      { scenario: 'a', target: 'x', rps: 200, p99: 5 },
      { scenario: 'a', target: 'y', rps: 50, p99: 1 },
      { scenario: 'b', target: 'x', rps: 10, p99: 1 },
      { scenario: 'b', target: 'x', rps: 40, p99: 1 },
    ];
    expect(medianOfRounds(rows)).toEqual([
      { scenario: 'a', target: 'x', rps: 200, p99: 5, rounds: [100, 300, 200] },
      { scenario: 'a', target: 'y', rps: 50, p99: 1 },
      // Even count: the lower of the two middle ones.
      { scenario: 'b', target: 'x', rps: 10, p99: 1, rounds: [10, 40] },
    ]);
  });

  it('takes the median of another value when asked (half-rate p99)', () => {
    const half = [
      { target: 'x', p99: 100 },
      { target: 'x', p99: 6 },
      { target: 'x', p99: 8 },
    ];
    expect(medianOfRounds(half, { key: (row: { target: string }) => row.target, value: (row: { p99: number }) => row.p99 })).toEqual([{ target: 'x', p99: 8, rounds: [100, 6, 8] }]);
  });
});
