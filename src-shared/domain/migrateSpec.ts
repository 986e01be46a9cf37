import { z } from 'zod';
import { AppError } from '../AppError.ts';
import { currentSpecVersion, specDraftSchema, type SpecDraft, type VendorEntry } from './serviceSpec.ts';
import { findProduct, vendorNames } from './vendorCatalog.ts';

/**
 * Spec version 1: the first file shape, before vendors carried their products and before the
 * stack, deployment and tests became objects. Files in it are upgraded on import, never refused.
 */
const specV1Schema = z
  .object({
    specVersion: z.literal(1),
    name: z.string().optional(),
    summary: z.string().optional(),
    serviceType: z.enum(['vFirewall', 'vRouter', 'vLoadBalancer', 'vVPN', 'custom']).optional(),
    customServiceType: z.string().optional(),
    /** Product or vendor names as typed ("Cisco ASA", "PAN-OS", "Acme Shield"). */
    vendors: z.array(z.string()).optional(),
    features: z.array(z.string()).optional(),
    auth: z.enum(['api-key', 'basic', 'oauth2', 'session-token', 'certificate']).optional(),
    pricing: z.enum(['free', 'flat', 'per-instance', 'usage', 'tiered']).optional(),
    /** "python-fastapi", "python-flask", "node-express", "node-fastify". */
    stack: z.enum(['python-fastapi', 'python-flask', 'node-express', 'node-fastify']).optional(),
    logging: z.array(z.enum(['json-stdout', 'syslog', 'file'])).optional(),
    metrics: z.enum(['none', 'prometheus', 'opentelemetry']).optional(),
    tracing: z.boolean().optional(),
    deployment: z.array(z.enum(['docker', 'compose', 'kubernetes'])).optional(),
    tests: z.array(z.enum(['unit', 'integration', 'contract', 'mock'])).optional(),
  })
  .strict();
type SpecV1 = z.infer<typeof specV1Schema>;

function vendorsFromNames(names: readonly string[]): VendorEntry[] {
  const entries = new Map<string, VendorEntry>();
  for (const raw of names) {
    const name = raw.trim();
    if (name === '') continue;
    const product = findProduct(name);
    if (product) {
      const entry = entries.get(product.vendor) ?? { vendor: product.vendor, name: vendorNames[product.vendor], products: [] };
      if (!entry.products.includes(product.label)) entry.products.push(product.label);
      entries.set(product.vendor, entry);
    } else {
      entries.set(`other:${name.toLowerCase()}`, { vendor: 'other', name: name.slice(0, 80), products: [] });
    }
  }
  return [...entries.values()];
}

interface Upgraded {
  value: Record<string, unknown>;
  /** What the old file said that the new shape cannot hold on its own; the interview asks again. */
  dropped: string[];
}

function fromV1(old: SpecV1): Upgraded {
  const [language, framework] = old.stack?.split('-') ?? [];
  const levels = old.tests?.filter((test) => test !== 'mock');
  const dropped: string[] = [];
  // Version 2 keeps logging and metrics together; half of it is not guessed.
  if ((old.logging === undefined) !== (old.metrics === undefined) || (old.tracing !== undefined && (old.logging === undefined || old.metrics === undefined))) {
    dropped.push(
      `observability (${[old.logging && `logging ${old.logging.join(', ')}`, old.metrics && `metrics ${old.metrics}`, old.tracing !== undefined && `tracing ${old.tracing}`].filter(Boolean).join('; ')}): version 2 needs logging and metrics together`,
    );
  }
  if (old.tests !== undefined && (levels === undefined || levels.length === 0)) {
    dropped.push(`testing (${old.tests.join(', ') || 'empty'}): version 2 needs at least one kind of test besides mocks`);
  }
  const value = {
    specVersion: 2,
    ...(old.name !== undefined ? { name: old.name } : {}),
    ...(old.summary !== undefined ? { summary: old.summary } : {}),
    ...(old.serviceType !== undefined ? { serviceType: old.serviceType } : {}),
    ...(old.customServiceType !== undefined ? { customServiceType: old.customServiceType } : {}),
    ...(old.vendors !== undefined ? { vendors: vendorsFromNames(old.vendors) } : {}),
    ...(old.features !== undefined ? { features: old.features } : {}),
    ...(old.auth !== undefined ? { vendorApi: { auth: old.auth } } : {}),
    ...(old.pricing !== undefined ? { pricing: { model: old.pricing } } : {}),
    ...(language && framework ? { target: { language: language === 'node' ? 'typescript' : language, framework } } : {}),
    ...(old.logging !== undefined && old.metrics !== undefined
      ? { observability: { logging: old.logging, metrics: old.metrics, tracing: old.tracing ?? false } }
      : {}),
    ...(old.deployment !== undefined ? { deployment: { targets: old.deployment } } : {}),
    ...(levels !== undefined && levels.length > 0 ? { testing: { levels, mockVendorApis: old.tests?.includes('mock') ?? false } } : {}),
  };
  return { value, dropped };
}

const upgrades: Record<number, { schema: z.ZodType; up: (old: never) => Upgraded }> = {
  1: { schema: specV1Schema, up: fromV1 as (old: never) => Upgraded },
};

function issuesText(error: z.ZodError): string {
  return error.issues
    .slice(0, 6)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}

/**
 * Reads a spec file's JSON of any known version and returns a current draft. A file from a
 * newer version, or one that is not a spec, is refused with what is wrong.
 */
export function migrateSpec(input: unknown): { spec: SpecDraft; migratedFrom?: number; dropped: string[] } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new AppError('INVALID_INPUT', 'A spec file holds one JSON object with a "specVersion"');
  }
  const version = (input as { specVersion?: unknown }).specVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new AppError('INVALID_INPUT', `A spec file needs "specVersion" (a whole number from 1); got ${JSON.stringify(version) ?? 'nothing'}`);
  }
  if (version > currentSpecVersion) {
    throw new AppError('INVALID_INPUT', `This spec was written by a newer Service Creator (spec version ${version}; this one reads up to ${currentSpecVersion}). Update the app to open it.`);
  }
  let current: unknown = input;
  const dropped: string[] = [];
  for (let from = version; from < currentSpecVersion; from += 1) {
    const upgrade = upgrades[from];
    if (!upgrade) throw new AppError('INTERNAL', `No upgrade from spec version ${from}`);
    const parsed = upgrade.schema.safeParse(current);
    if (!parsed.success) throw new AppError('INVALID_INPUT', `Not a valid version ${from} spec: ${issuesText(parsed.error)}`);
    const upgraded = upgrade.up(parsed.data as never);
    current = upgraded.value;
    dropped.push(...upgraded.dropped);
  }
  const parsed = specDraftSchema.safeParse(current);
  if (!parsed.success) throw new AppError('INVALID_INPUT', `Not a valid spec: ${issuesText(parsed.error)}`);
  return { spec: parsed.data, dropped, ...(version < currentSpecVersion ? { migratedFrom: version } : {}) };
}
