/**
 * A budget's share used (0..1+) as the whole percent people read: rounded, but a budget not yet
 * reached never reads 100 % (99.6 % is "99 %") and one reached never less.
 */
export function usedPercent(used: number): number {
  const percent = Math.round(used * 100);
  return used < 1 ? Math.min(percent, 99) : Math.max(percent, 100);
}
