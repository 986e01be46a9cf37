import type {
  authMethods,
  deploymentTargets,
  Framework,
  Language,
  logOutputs,
  metricsKinds,
  pricingModels,
  ServiceType,
  testLevels,
  VendorId,
} from '../../../../src-shared/domain/serviceSpec.ts';
import { vendorNames } from '../../../../src-shared/domain/vendorCatalog.ts';

export type AuthMethod = (typeof authMethods)[number];
export type PricingModel = (typeof pricingModels)[number];
export type LogOutput = (typeof logOutputs)[number];
export type MetricsKind = (typeof metricsKinds)[number];
export type DeploymentTarget = (typeof deploymentTargets)[number];
export type TestLevel = (typeof testLevels)[number];

/** How each value of the spec's enums is shown in the form (the values stay the JSON words). */
export const serviceTypeLabels: Record<ServiceType, string> = {
  vFirewall: 'vFirewall (firewall as a service)',
  vRouter: 'vRouter (routing as a service)',
  vLoadBalancer: 'vLoadBalancer (load balancing as a service)',
  vVPN: 'vVPN (VPN as a service)',
  custom: 'Custom service',
};

export const vendorLabels: Record<VendorId, string> = vendorNames;

export const authLabels: Record<AuthMethod, string> = {
  'api-key': 'API key',
  basic: 'Username and password (basic auth)',
  oauth2: 'OAuth 2.0 client credentials',
  'session-token': 'Session token from a login call',
  certificate: 'Client certificate (mTLS)',
};

export const pricingLabels: Record<PricingModel, string> = {
  free: 'Free / internal use',
  flat: 'Flat monthly fee',
  'per-instance': 'Per instance',
  usage: 'Usage-based',
  tiered: 'Tiered plans',
};

export const loggingLabels: Record<LogOutput, string> = {
  'json-stdout': 'Structured JSON logs (stdout)',
  syslog: 'Syslog',
  file: 'Log files',
};

export const metricsLabels: Record<MetricsKind, string> = {
  none: 'No metrics',
  prometheus: 'Prometheus',
  opentelemetry: 'OpenTelemetry',
};

export const languageLabels: Record<Language, string> = { python: 'Python', typescript: 'TypeScript' };

export const frameworkLabels: Record<Framework, string> = { fastapi: 'FastAPI', flask: 'Flask', express: 'Express', fastify: 'Fastify' };

export const deploymentLabels: Record<DeploymentTarget, string> = {
  docker: 'Docker image',
  compose: 'Docker Compose',
  kubernetes: 'Kubernetes manifests',
};

export const testLevelLabels: Record<TestLevel, string> = {
  unit: 'Unit tests',
  integration: 'Integration tests',
  contract: 'Contract tests against the vendor API specs',
};

/** `{ value, label }` pairs in the order of the enum, for selects and checkbox groups. */
export function choicesOf<V extends string>(values: readonly V[], labels: Record<V, string>): { value: V; label: string }[] {
  return values.map((value) => ({ value, label: labels[value] }));
}
