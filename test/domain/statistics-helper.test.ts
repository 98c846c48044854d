import { chiSquareTest } from '../support/statistics';

describe('chi-square helper', () => {
  it('matches tabulated critical values', () => {
    // 4 degrees of freedom: 9.488 is the 5 % critical value, 18.467 the 0.1 % one.
    expect(
      chiSquareTest(
        [0, 0, 0, 0, 0].map((_, i) => i),
        [0.2, 0.2, 0.2, 0.2, 0.2],
      ).degreesOfFreedom,
    ).toBe(4);
    const at = (stat: number) => {
      // Build observed counts with a known statistic: two cells off by d from 1000 expected each.
      const d = Math.sqrt((stat * 1000) / 2);
      return chiSquareTest([1000 + d, 1000 - d, 1000, 1000, 1000], [0.2, 0.2, 0.2, 0.2, 0.2]).pValue;
    };
    expect(at(9.488)).toBeCloseTo(0.05, 3);
    expect(at(18.467)).toBeCloseTo(0.001, 4);
    expect(at(0)).toBeCloseTo(1, 10);
  });
});
