/** Small, exact-enough statistics for fairness tests. */

function logGamma(x: number): number {
  // Lanczos approximation (g = 7, n = 9).
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const xm = x - 1;
  let a = c[0] as number;
  const t = xm + 7.5;
  for (let i = 1; i < 9; i++) a += (c[i] as number) / (xm + i);
  return 0.5 * Math.log(2 * Math.PI) + (xm + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Regularized upper incomplete gamma Q(s, x). */
function upperGammaQ(s: number, x: number): number {
  if (x <= 0) return 1;
  if (x < s + 1) {
    let sum = 1 / s;
    let term = sum;
    for (let n = 1; n < 10_000; n++) {
      term *= x / (s + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-15) break;
    }
    return 1 - sum * Math.exp(-x + s * Math.log(x) - logGamma(s));
  }
  // Continued fraction (modified Lentz).
  let b = x + 1 - s;
  let c = 1 / 1e-300;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - s);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < 1e-300) d = 1e-300;
    c = b + an / c;
    if (Math.abs(c) < 1e-300) c = 1e-300;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return Math.exp(-x + s * Math.log(x) - logGamma(s)) * h;
}

/** Chi-square goodness of fit: statistic and p-value for observed counts against probabilities. */
export function chiSquareTest(observed: readonly number[], probabilities: readonly number[]) {
  const total = observed.reduce((a, b) => a + b, 0);
  let statistic = 0;
  observed.forEach((o, i) => {
    const expected = total * (probabilities[i] ?? 0);
    statistic += ((o - expected) * (o - expected)) / expected;
  });
  const degreesOfFreedom = observed.length - 1;
  return { statistic, degreesOfFreedom, pValue: upperGammaQ(degreesOfFreedom / 2, statistic / 2) };
}

/** P(X > x) for X chi-square distributed with `degreesOfFreedom`. */
export function chiSquareSurvival(x: number, degreesOfFreedom: number): number {
  return upperGammaQ(degreesOfFreedom / 2, x / 2);
}

/** The critical value c with P(X > c) = alpha for a chi-square X with `degreesOfFreedom` (bisection). */
export function chiSquareCriticalValue(degreesOfFreedom: number, alpha: number): number {
  let low = 0;
  let high = degreesOfFreedom + 100;
  while (chiSquareSurvival(high, degreesOfFreedom) > alpha) high *= 2;
  for (let i = 0; i < 200; i++) {
    const middle = (low + high) / 2;
    if (chiSquareSurvival(middle, degreesOfFreedom) > alpha) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}

/**
 * P(X > x) for a noncentral chi-square X (`degreesOfFreedom`, noncentrality `lambda`): a Poisson
 * (lambda / 2) mixture of central chi-squares with degreesOfFreedom + 2j degrees of freedom.
 */
export function noncentralChiSquareSurvival(x: number, degreesOfFreedom: number, lambda: number): number {
  if (lambda === 0) return chiSquareSurvival(x, degreesOfFreedom);
  const mean = lambda / 2;
  let survival = 0;
  for (let j = 0; j < 100_000; j++) {
    const weight = Math.exp(-mean + j * Math.log(mean) - logGamma(j + 1));
    survival += weight * chiSquareSurvival(x, degreesOfFreedom + 2 * j);
    // Past twice the mean each Poisson weight is less than half the one before: the rest of the
    // sum is below twice this weight.
    if (j > 2 * mean && weight < 1e-17) break;
  }
  return Math.min(1, survival);
}

/** Standard normal distribution function Φ(z), through erfc(t) = Q(1/2, t²). */
export function normalCdf(z: number): number {
  const upper = 0.5 * upperGammaQ(0.5, (z * z) / 2);
  return z >= 0 ? 1 - upper : upper;
}

/**
 * Power of the chi-square goodness-of-fit test at level `alpha` when the true probabilities are
 * `actual` instead of the `expected` ones, with `total` observations: noncentrality
 * λ = total · Σ (actualᵢ − expectedᵢ)² / expectedᵢ.
 */
export function chiSquareTestPower(
  expected: readonly number[],
  actual: readonly number[],
  total: number,
  alpha: number,
): number {
  const lambda = total * expected.reduce((sum, e, i) => sum + ((actual[i] ?? 0) - e) ** 2 / e, 0);
  const degreesOfFreedom = expected.length - 1;
  return noncentralChiSquareSurvival(chiSquareCriticalValue(degreesOfFreedom, alpha), degreesOfFreedom, lambda);
}

/**
 * Power of "reject when |estimate − expected| > critical standard errors" when the true value is
 * `shift` standard errors away and the standard error is estimated with `degreesOfFreedom`
 * (e.g. batch means: batches − 1). Normal approximation of the noncentral t distribution:
 * P(T > c) ≈ Φ((shift − c) / √(1 + c² / 2ν)); the other tail is added the same way.
 */
export function studentizedTestPower(shift: number, critical: number, degreesOfFreedom: number): number {
  const spread = Math.sqrt(1 + (critical * critical) / (2 * degreesOfFreedom));
  return normalCdf((shift - critical) / spread) + normalCdf((-shift - critical) / spread);
}
