/**
 * A download's speed and time left in words, for the CLI's bar and the downloads list:
 * "12.3 MiB/s · 1 min 20 s left". Empty until a speed is known.
 */
export function describeTransfer(bytesPerSecond: number | undefined, secondsLeft: number | null | undefined): string {
  if (bytesPerSecond === undefined || bytesPerSecond <= 0) return '';
  const speed = bytesPerSecond >= 1024 ** 2 ? `${(bytesPerSecond / 1024 ** 2).toFixed(1)} MiB/s` : `${Math.max(1, Math.round(bytesPerSecond / 1024))} KiB/s`;
  return secondsLeft === null || secondsLeft === undefined ? speed : `${speed} · ${describeSeconds(secondsLeft)} left`;
}

/** "45 s", "3 min 05 s", "2 h 10 min". */
export function describeSeconds(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  if (whole < 60) return `${whole} s`;
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, '0')} s`;
  return `${Math.floor(whole / 3600)} h ${String(Math.floor((whole % 3600) / 60)).padStart(2, '0')} min`;
}
