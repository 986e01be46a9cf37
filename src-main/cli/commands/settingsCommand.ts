import { Command } from 'commander';
import { AppError } from '../../../src-shared/AppError.ts';
import { redactionKinds, type PrivacyGuard, type RedactionKind, type ResponseCacheSettings, type PrivacyMode, type Settings, type Telemetry } from '../../../src-shared/domain/settings.ts';
import { telemetryAddressProblem } from '../../../src-shared/domain/telemetryAddress.ts';
import { telemetrySends } from '../../../src-shared/domain/telemetrySends.ts';
import type { CliContext } from '../CliContext.ts';

function describeGuard(guard: PrivacyGuard): string {
  if (!guard.enabled) return 'off';
  const count = `${guard.terms.length} term${guard.terms.length === 1 ? '' : 's'} of your own`;
  // No kind chosen (`--kinds ''`, every box cleared): what it still takes out, in words, not "on ()".
  if (guard.kinds.length === 0) return guard.terms.length === 0 ? 'on, but takes out nothing but the keys in use: no kind is chosen and there are no terms of your own' : `on (${count} only)`;
  return `on (${guard.kinds.join(', ')}${guard.terms.length === 0 ? '' : `; ${count}`})`;
}

function describeCache(cache: ResponseCacheSettings): string {
  return cache.enabled ? `on (answers kept ${cache.ttlHours} hours, at most ${cache.maxMegabytes} MB)` : 'off';
}

function describeTelemetry(telemetry: Telemetry, privacyMode: PrivacyMode): string {
  if (!telemetry.enabled) return 'off';
  const held = telemetrySends(telemetry, privacyMode) ? '' : '; held back: Local-only mode sends nothing off this machine, so nothing goes to that collector until the mode allows the cloud';
  return `on, to ${telemetry.endpoint} (timings, token counts, costs and outcomes; never prompts or code)${held}`;
}

function describeSettings(values: Settings): string {
  return Object.entries(values)
    .map(([key, value]) => `${key}: ${key === 'privacyGuard' ? describeGuard(value as PrivacyGuard) : key === 'responseCache' ? describeCache(value as ResponseCacheSettings) : key === 'telemetry' ? describeTelemetry(value as Telemetry, values.privacyMode) : String(value)}`)
    .join('\n');
}

export function settingsCommand(context: () => CliContext): Command {
  const settings = new Command('settings').description('show and change settings');
  settings
    .command('get')
    .description('show all settings')
    .action(async () => {
      const ctx = context();
      const values = await ctx.call('settings.get');
      ctx.output.result('settings', { settings: values }, describeSettings(values));
    });
  settings
    .command('set')
    .description('change one setting (theme: system|light|dark; privacyMode: local-only|local-first|cloud-allowed)')
    .argument('<key>', 'setting name')
    .argument('<value>', 'new value')
    .action(async (key: string, value: string) => {
      const ctx = context();
      if (key === 'telemetry') throw new AppError('INVALID_INPUT', 'Telemetry has its own command: service-creator settings telemetry --on --endpoint URL | --off');
      if (key === 'privacyGuard') throw new AppError('INVALID_INPUT', 'The privacy guard has its own command: service-creator settings privacy-guard on|off [--kinds ...] [--term TEXT ...]');
      if (key === 'responseCache') throw new AppError('INVALID_INPUT', 'The response cache has its own command: service-creator cache on|off [--ttl-hours N] [--max-mb N]');
      const values = await ctx.call('settings.set', { [key]: value });
      ctx.output.result('settings', { settings: values }, `${key} is now ${String((values as Record<string, unknown>)[key])}`);
    });
  settings
    .command('privacy-guard')
    .description('before any cloud call, replace e-mail addresses, phone numbers, IP addresses, key-like strings, card numbers and your own terms with placeholders (put back in the answer here)')
    .argument('<state>', 'on or off')
    .option('--kinds <list>', `what to take out, comma-separated (${redactionKinds.join(', ')}); default: all`)
    .option('--term <text...>', 'a word of your own to take out (a customer or project name); replaces the list')
    .action(async (state: string, options: { kinds?: string; term?: string[] }) => {
      const ctx = context();
      if (state !== 'on' && state !== 'off') throw new AppError('INVALID_INPUT', `Say on or off, not "${state.slice(0, 20)}"`);
      const current = (await ctx.call('settings.get')).privacyGuard;
      const kinds = options.kinds?.split(',').map((kind) => kind.trim()).filter(Boolean);
      const unknown = kinds?.filter((kind) => !(redactionKinds as readonly string[]).includes(kind));
      if (unknown && unknown.length > 0) throw new AppError('INVALID_INPUT', `Unknown kind ${unknown.map((kind) => `"${kind.slice(0, 20)}"`).join(', ')}: choose from ${redactionKinds.join(', ')}`);
      const next: PrivacyGuard = {
        enabled: state === 'on',
        kinds: kinds ? (kinds as RedactionKind[]) : current.kinds,
        terms: options.term ?? current.terms,
      };
      const values = await ctx.call('settings.set', { privacyGuard: next });
      ctx.output.result('settings', { settings: values }, `The privacy guard is ${describeGuard(values.privacyGuard)}`);
    });
  settings
    .command('telemetry')
    .description('send traces of model calls and runs (timings, token counts, costs, outcomes; never prompts or code) to your own OpenTelemetry collector over OTLP/HTTP; off by default')
    .option('--on', 'turn it on (with --endpoint, or the address set before)')
    .option('--off', 'turn it off: nothing is sent')
    .option('--endpoint <url>', "the collector's address, e.g. http://localhost:4318 (its /v1/traces is added)")
    .action(async (options: { on?: boolean; off?: boolean; endpoint?: string }) => {
      const ctx = context();
      if (options.on === options.off) throw new AppError('INVALID_INPUT', 'Say --on (with --endpoint URL) or --off');
      const current = (await ctx.call('settings.get')).telemetry;
      const endpoint = options.endpoint ?? current.endpoint;
      if (options.on && endpoint === '') throw new AppError('INVALID_INPUT', "Give the collector's address: --endpoint http://localhost:4318");
      // Said in words here: the core's refusal of the same address names the channel and the field.
      const problem = options.endpoint === undefined || options.endpoint.trim() === '' ? null : telemetryAddressProblem(options.endpoint.trim());
      if (problem !== null) throw new AppError('INVALID_INPUT', `${problem.replace(/\.$/, '')} (--endpoint)`);
      const next: Telemetry = { enabled: options.on === true, endpoint, includePrompts: false };
      const values = await ctx.call('settings.set', { telemetry: next });
      ctx.output.result('settings', { settings: values }, `Telemetry is ${describeTelemetry(values.telemetry, values.privacyMode)}`);
    });
  return settings;
}
