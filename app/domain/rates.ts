/**
 * Rates are integers in parts per million (ppm): 1_000_000 ppm = 100 %. No floats decide a pull.
 */
export const PPM = 1_000_000;

/** Splits `total` ppm over `weights` proportionally, rounding by largest remainder so the parts sum exactly. */
export function apportion(total: number, weights: readonly number[]): number[] {
  const weightSum = weights.reduce((a, b) => a + b, 0);
  if (weightSum <= 0 || total <= 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / weightSum);
  const parts = exact.map((x) => Math.floor(x));
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    if ((weights[i] ?? 0) > 0) {
      parts[i] = (parts[i] ?? 0) + 1;
      left--;
    }
  }
  return parts;
}

/** Picks an index from integer weights that sum to PPM, given a uniform draw in [0, PPM). */
export function pickByPpm(weights: readonly number[], draw: number): number {
  let acc = 0;
  for (let i = 0; i < weights.length; i++) {
    acc += weights[i] ?? 0;
    if (draw < acc) return i;
  }
  throw new RangeError(`draw ${draw} outside a table summing to ${acc}`);
}

export function formatPercent(probability: number, digits = 3): string {
  return `${(probability * 100).toFixed(digits).replace(/\.?0+$/, '')}%`;
}
