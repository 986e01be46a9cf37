/**
 * The labels the forms show, by the field name the core's inputs use, so a refused input names
 * the field the user sees ("Base URL", not `config.baseUrl`). Names not listed are spelled out
 * from their camelCase (fieldLabel).
 */
const labels: Record<string, string> = {
  id: 'Id',
  label: 'Label',
  name: 'Name',
  type: 'Type',
  baseUrl: 'Base URL',
  models: 'Models',
  model: 'Model',
  apiKeyEnv: 'Key variable',
  apiKey: 'API key',
  key: 'API key',
  location: 'Where it runs',
  requestsPerMinute: 'Requests per minute',
  tokensPerMinute: 'Tokens per minute',
  burst: 'Requests started per second',
  firstTokenTimeoutMs: 'First-answer timeout',
  totalTimeoutMs: 'Total timeout',
  concurrency: 'Files at once',
  path: 'Path',
  outDir: 'Folder',
  dir: 'Folder',
  folder: 'Folder',
  purpose: 'Purpose',
  dependsOn: 'Depends on',
  exports: 'Exports',
  install: 'Install command',
  test: 'Test command',
  text: 'Answer',
  selected: 'Picked options',
  weight: 'Weight',
  inputPerMillion: 'Input price',
  outputPerMillion: 'Output price',
  theme: 'Theme',
  privacyMode: 'Privacy mode',
  endpoint: 'Collector address',
  serviceType: 'Kind of service',
  vendors: 'Vendors',
  features: 'Features',
  vendorApi: 'Vendor sign-in',
  pricing: 'Pricing',
  observability: 'Logs and metrics',
  summary: 'Summary',
  customServiceType: 'Custom service type',
  auth: 'Sign-in method',
  notes: 'Notes',
  target: 'Language and framework',
  language: 'Language',
  framework: 'Framework',
  deployment: 'Deployment',
  targets: 'Targets',
  testing: 'Testing',
  levels: 'Test levels',
  logs: 'Logs',
  metrics: 'Metrics',
  specVersion: 'Spec version',
};

/**
 * A whole path in words ("Pricing › Model", "Vendors › 2nd › Name"), for lists of problems
 * whose fields sit at several depths; `path` is the dotted form (`vendors.1.name`) or parts.
 */
export function pathLabel(path: string | readonly (string | number)[]): string {
  const parts = typeof path === 'string' ? path.split('.').filter((part) => part !== '') : path;
  return parts
    .map((part) => (typeof part === 'number' || /^\d+$/.test(part) ? `entry ${Number(part) + 1}` : (labels[part] ?? spellOut(part))))
    .join(' › ');
}

/** The label of the field at the end of an input path (the last name in it; list positions are skipped). */
export function fieldLabel(path: readonly (string | number)[]): string | null {
  const name = [...path].reverse().find((part): part is string => typeof part === 'string');
  if (name === undefined) return null;
  return labels[name] ?? spellOut(name);
}

function spellOut(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
