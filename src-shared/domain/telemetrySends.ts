import { isLoopbackUrl } from './loopbackUrl.ts';
import type { PrivacyMode, Telemetry } from './settings.ts';

/**
 * Whether telemetry is sent now: it is on with an address, and the privacy mode allows that
 * address. Local-only means nothing leaves this machine, so a collector elsewhere is held back
 * (not sent to, the setting kept) until the mode allows the cloud; one on this machine is fine.
 */
export function telemetrySends(telemetry: Telemetry, privacyMode: PrivacyMode): boolean {
  if (!telemetry.enabled || telemetry.endpoint === '') return false;
  return privacyMode !== 'local-only' || isLoopbackUrl(telemetry.endpoint);
}

/** Telemetry as it is applied: switched off while the privacy mode holds its collector back. */
export function effectiveTelemetry(telemetry: Telemetry, privacyMode: PrivacyMode): Telemetry {
  return telemetrySends(telemetry, privacyMode) || !telemetry.enabled ? telemetry : { ...telemetry, enabled: false };
}
