/** Small statistics for the public audit: chi-square p-values and binomial confidence intervals. */

/** ln Γ(x) for x > 0 (Lanczos, g = 7). */
function logGamma(x: number): number {
  const g = 7;
  const coefficients = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = coefficients[0] ?? 0;
  for (let i = 1; i < coefficients.length; i++) sum += (coefficients[i] ?? 0) / (z + i);
  const t = z + g + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Regularized upper incomplete gamma Q(a, x) = Γ(a, x) / Γ(a). */
export function regularizedUpperGamma(a: number, x: number): number {
  if (x <= 0) return 1;
  const logPrefix = a * Math.log(x) - x - logGamma(a);
  if (x < a + 1) {
    // Series for P(a, x).
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 100_000; n++) {
      term *= x / (a + n);
      sum += term;
      if (term < sum * 1e-16) break;
    }
    return Math.max(0, 1 - sum * Math.exp(logPrefix));
  }
  // Continued fraction for Q(a, x) (Lentz).
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let f = d;
  for (let i = 1; i < 100_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.min(1, Math.exp(logPrefix) * f);
}

export interface ChiSquareResult {
  readonly statistic: number;
  readonly degreesOfFreedom: number;
  readonly pValue: number;
}

/**
 * Pearson's chi-square of observed counts against expected counts (same total). Cells with an
 * expected count below `minExpected` are pooled with their neighbour (in the given order) first, so
 * the chi-square approximation holds. Null when fewer than two cells remain.
 */
export function chiSquare(
  observed: readonly number[],
  expected: readonly number[],
  minExpected = 5,
): ChiSquareResult | null {
  const cells: { o: number; e: number }[] = [];
  let pending = { o: 0, e: 0 };
  observed.forEach((o, i) => {
    pending = { o: pending.o + o, e: pending.e + (expected[i] ?? 0) };
    if (pending.e >= minExpected) {
      cells.push(pending);
      pending = { o: 0, e: 0 };
    }
  });
  if (pending.e > 0 || pending.o > 0) {
    const last = cells.pop();
    cells.push(last ? { o: last.o + pending.o, e: last.e + pending.e } : pending);
  }
  const usable = cells.filter((c) => c.e > 0);
  if (usable.length < 2) return null;
  const statistic = usable.reduce((s, c) => s + ((c.o - c.e) * (c.o - c.e)) / c.e, 0);
  const degreesOfFreedom = usable.length - 1;
  return { statistic, degreesOfFreedom, pValue: regularizedUpperGamma(degreesOfFreedom / 2, statistic / 2) };
}

/** Wilson score interval for a binomial proportion (z = 1.96 for 95 %). */
export function wilsonInterval(successes: number, trials: number, z = 1.959963984540054): [number, number] {
  if (trials === 0) return [0, 1];
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denominator;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}
