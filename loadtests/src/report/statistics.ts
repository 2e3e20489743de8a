/** Median of a non-empty sample; the mean of the two middle values when the count is even. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of an empty sample');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Percentile by the nearest-rank method (the value at or below which `percent` of the sample lies),
 * the definition k6 and most load tools report. `sortedAscending` must already be sorted.
 */
export function percentile(sortedAscending: ArrayLike<number>, percent: number): number {
  if (sortedAscending.length === 0) throw new Error('percentile of an empty sample');
  if (!(percent > 0 && percent <= 100)) throw new Error(`percentile must be in (0, 100], got ${percent}`);
  const rank = Math.ceil((percent / 100) * sortedAscending.length);
  return sortedAscending[rank - 1]!;
}

/** `subject / baseline`, or null when the baseline is zero (a ratio would be meaningless). */
export function ratio(subject: number, baseline: number): number | null {
  return baseline === 0 ? null : subject / baseline;
}
