/** 0 (none breached) … 4 (half or more): the colour class of a breach rate. */
export function heatLevel(rate: number): number {
  if (rate <= 0) return 0;
  if (rate < 0.1) return 1;
  if (rate < 0.25) return 2;
  if (rate < 0.5) return 3;
  return 4;
}

