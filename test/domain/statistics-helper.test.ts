import {
  chiSquareCriticalValue,
  chiSquareTest,
  chiSquareTestPower,
  noncentralChiSquareSurvival,
  normalCdf,
  studentizedTestPower,
} from '../support/statistics';

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

describe('power helpers', () => {
  it('normal distribution function and chi-square critical values match tables', () => {
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-2.326348)).toBeCloseTo(0.01, 6);
    expect(normalCdf(0)).toBeCloseTo(0.5, 12);
    expect(chiSquareCriticalValue(4, 0.001)).toBeCloseTo(18.467, 3);
    expect(chiSquareCriticalValue(1, 0.05)).toBeCloseTo(3.841, 3);
  });

  it('the noncentral chi-square matches its closed form for one degree of freedom, (Z + √λ)²', () => {
    const c = chiSquareCriticalValue(1, 0.05);
    for (const lambda of [0, 1, 9, 40]) {
      const exact = normalCdf(Math.sqrt(lambda) - Math.sqrt(c)) + normalCdf(-Math.sqrt(lambda) - Math.sqrt(c));
      expect(noncentralChiSquareSurvival(c, 1, lambda)).toBeCloseTo(exact, 10);
    }
  });

  it('power grows with the sample and is alpha when nothing is off', () => {
    const expected = [0.5, 0.35, 0.11, 0.034, 0.006];
    expect(chiSquareTestPower(expected, expected, 1_000_000, 0.001)).toBeCloseTo(0.001, 8);
    const off = [0.5 - 0.0017, 0.35, 0.11, 0.034 + 0.0017, 0.006];
    const small = chiSquareTestPower(expected, off, 100_000, 0.001);
    const large = chiSquareTestPower(expected, off, 600_000, 0.001);
    expect(small).toBeLessThan(0.5);
    expect(large).toBeGreaterThan(0.99);
    // Studentized test: 2 × P(|t| > c) at no shift, and a shift of c + 2.33 standard errors ≈ 0.99.
    expect(studentizedTestPower(0, 1.959964, 1e9)).toBeCloseTo(0.05, 6);
    expect(studentizedTestPower(1.959964 + 2.326348, 1.959964, 1e9)).toBeCloseTo(0.99, 4);
  });
});
