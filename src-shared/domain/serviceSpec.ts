import { z } from 'zod';

/** The version this build writes. Older files are migrated on import (see migrateSpec). */
export const currentSpecVersion = 2;

export const serviceTypes = ['vFirewall', 'vRouter', 'vLoadBalancer', 'vVPN', 'custom'] as const;
export type ServiceType = (typeof serviceTypes)[number];

export const vendorIds = ['cisco', 'paloalto', 'fortinet', 'f5', 'juniper', 'checkpoint', 'other'] as const;
export type VendorId = (typeof vendorIds)[number];

export const authMethods = ['api-key', 'basic', 'oauth2', 'session-token', 'certificate'] as const;
export const pricingModels = ['free', 'flat', 'per-instance', 'usage', 'tiered'] as const;
export const logOutputs = ['json-stdout', 'syslog', 'file'] as const;
export const metricsKinds = ['none', 'prometheus', 'opentelemetry'] as const;
export const languages = ['python', 'typescript'] as const;
export const frameworks = ['fastapi', 'flask', 'express', 'fastify'] as const;
export type Language = (typeof languages)[number];
export type Framework = (typeof frameworks)[number];
export const deploymentTargets = ['docker', 'compose', 'kubernetes'] as const;
export const testLevels = ['unit', 'integration', 'contract'] as const;

/** Which frameworks each language offers; the spec is invalid when they do not match. */
export const frameworksByLanguage: Record<Language, readonly Framework[]> = {
  python: ['fastapi', 'flask'],
  typescript: ['express', 'fastify'],
};

const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'cannot be empty')
    .max(max, `at most ${max} characters`)
    .refine((value) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value), 'cannot contain control characters');

export const vendorEntrySchema = z
  .object({
    vendor: z.enum(vendorIds),
    /** Display name ("Cisco", or what the user typed for an `other` vendor). */
    name: text(80),
    products: z.array(text(80)).max(20),
  })
  .strict();
export type VendorEntry = z.infer<typeof vendorEntrySchema>;

/**
 * The fields of a spec, each optional so a half-finished interview is a valid *draft*; the
 * complete spec (what the pipeline accepts) is `serviceSpecSchema`. Sub-objects are whole: a
 * present `target` has both language and framework.
 */
const specShape = {
  specVersion: z.literal(currentSpecVersion),
  name: text(100),
  summary: text(2000).optional(),
  serviceType: z.enum(serviceTypes),
  /** What the service is when `serviceType` is `custom`, in the user's words. */
  customServiceType: text(200).optional(),
  /** Vendors and products whose APIs the service drives; empty means a standalone service. */
  vendors: z.array(vendorEntrySchema).max(10),
  features: z.array(text(200)).min(1, 'name at least one feature').max(30),
  vendorApi: z.object({ auth: z.enum(authMethods), notes: text(1000).optional() }).strict(),
  pricing: z.object({ model: z.enum(pricingModels), notes: text(1000).optional() }).strict(),
  observability: z
    .object({
      logging: z.array(z.enum(logOutputs)).min(1, 'pick at least one log output').max(3),
      metrics: z.enum(metricsKinds),
      tracing: z.boolean(),
    })
    .strict(),
  target: z.object({ language: z.enum(languages), framework: z.enum(frameworks) }).strict(),
  deployment: z.object({ targets: z.array(z.enum(deploymentTargets)).min(1, 'pick at least one deployment target').max(3) }).strict(),
  testing: z
    .object({
      levels: z.array(z.enum(testLevels)).min(1, 'pick at least one kind of test').max(3),
      mockVendorApis: z.boolean(),
      coverageTarget: z.number().int().min(0).max(100).optional(),
    })
    .strict(),
} as const;

/** A spec being written: only `specVersion` is required. */
export const specDraftSchema = z
  .object({
    ...specShape,
    name: specShape.name.optional(),
    serviceType: specShape.serviceType.optional(),
    vendors: specShape.vendors.optional(),
    features: specShape.features.optional(),
    vendorApi: specShape.vendorApi.optional(),
    pricing: specShape.pricing.optional(),
    observability: specShape.observability.optional(),
    target: specShape.target.optional(),
    deployment: specShape.deployment.optional(),
    testing: specShape.testing.optional(),
  })
  .strict();
export type SpecDraft = z.infer<typeof specDraftSchema>;

/** Everything the pipeline needs, consistent across fields. */
export const serviceSpecSchema = z
  .object({ ...specShape, vendorApi: specShape.vendorApi.optional() })
  .strict()
  .superRefine((spec, ctx) => {
    if (spec.serviceType === 'custom' && !spec.customServiceType) {
      ctx.addIssue({ code: 'custom', path: ['customServiceType'], message: 'describe the custom service' });
    }
    if (!frameworksByLanguage[spec.target.language].includes(spec.target.framework)) {
      ctx.addIssue({
        code: 'custom',
        path: ['target', 'framework'],
        message: `${spec.target.framework} is not a ${spec.target.language} framework (pick ${frameworksByLanguage[spec.target.language].join(' or ')})`,
      });
    }
    if (spec.vendors.length > 0 && !spec.vendorApi) {
      ctx.addIssue({ code: 'custom', path: ['vendorApi'], message: 'say how the service authenticates to the vendor APIs' });
    }
  });
export type ServiceSpec = z.infer<typeof serviceSpecSchema>;

export interface SpecProblem {
  /** Dotted path of the field ("target.framework"), or "" for the whole spec. */
  path: string;
  message: string;
}

export interface SpecCheck {
  valid: boolean;
  problems: SpecProblem[];
}

/** Whether a draft is a complete spec, and if not, each missing or inconsistent field. */
export function checkSpec(draft: unknown): SpecCheck {
  const parsed = serviceSpecSchema.safeParse(draft);
  if (parsed.success) return { valid: true, problems: [] };
  return {
    valid: false,
    problems: parsed.error.issues.map((issue) => ({
      path: issue.path.join('.'),
      message: issue.code !== 'custom' && valueAt(draft, issue.path) === undefined ? 'not answered yet' : issue.message,
    })),
  };
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

export function emptySpec(name?: string): SpecDraft {
  return { specVersion: currentSpecVersion, ...(name ? { name } : {}) };
}
