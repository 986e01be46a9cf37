import type { SpecDraft, VendorEntry } from '../domain/serviceSpec.ts';
import { findProduct, productsFor, vendorNames } from '../domain/vendorCatalog.ts';
import { isVague, matchOption, splitItems, uniqueItems, withoutKeys, type Answer, type Slot, type SlotOption } from './Slot.ts';

export const slotIds = ['serviceType', 'vendors', 'features', 'vendorApi', 'pricing', 'observability', 'target', 'deployment', 'testing'] as const;
export type SlotId = (typeof slotIds)[number];

interface Choice<V> extends SlotOption {
  value: V;
}

/** The canonical options a picked label or typed text refers to (typed text split into items). */
function chosen<V>(options: readonly Choice<V>[], answer: Answer): { picked: Choice<V>[]; unmatched: string[] } {
  const picked: Choice<V>[] = [];
  const unmatched: string[] = [];
  const texts = [...answer.selected, ...(answer.text.trim() === '' ? [] : [answer.text.trim(), ...splitItems(answer.text)])];
  for (const value of texts) {
    const option = matchOption(options, value);
    if (option) {
      if (!picked.includes(option)) picked.push(option);
    } else if (answer.selected.includes(value)) {
      unmatched.push(value);
    }
  }
  if (picked.length === 0 && answer.text.trim() !== '' && !/\b(not|no|without|except|but|never)\b/i.test(answer.text)) {
    picked.push(...mentioned(options, answer.text));
  }
  return { picked, unmatched };
}

/** Options whose label or an alias appears as whole words in free text ("k8s and compose"). */
function mentioned<V>(options: readonly Choice<V>[], text: string): Choice<V>[] {
  const words = ` ${text.toLowerCase().replace(/[^a-z0-9]+/g, ' ')} `;
  return options.filter((option) =>
    [option.label.replace(/\((recommended|default)\)/i, ''), ...(option.aliases ?? [])].some((name) => {
      const phrase = name.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
      return phrase.length >= 2 && words.includes(` ${phrase} `);
    }),
  );
}

const optionsOf = <V>(choices: readonly Choice<V>[]): SlotOption[] => choices.map(({ label, hint, aliases }) => ({ label, ...(hint ? { hint } : {}), ...(aliases ? { aliases } : {}) }));

/** Typed text that picked no option is kept as notes, in the user's words. */
function notesFrom(options: readonly SlotOption[], text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed === '' || matchOption(options, trimmed)) return undefined;
  return trimmed.slice(0, 1000);
}

const serviceTypeChoices: Choice<NonNullable<SpecDraft['serviceType']>>[] = [
  { label: 'vFirewall', hint: 'firewall as a service', value: 'vFirewall', aliases: ['firewall', 'virtual firewall', 'fw', 'firewall as a service', 'fwaas'] },
  { label: 'vRouter', hint: 'routing as a service', value: 'vRouter', aliases: ['router', 'virtual router', 'routing'] },
  { label: 'vLoadBalancer', hint: 'load balancing as a service', value: 'vLoadBalancer', aliases: ['load balancer', 'lb', 'virtual load balancer', 'lbaas', 'load balancing'] },
  { label: 'vVPN', hint: 'VPN as a service', value: 'vVPN', aliases: ['vpn', 'virtual vpn', 'ipsec', 'vpnaas'] },
  { label: 'Custom service', hint: 'describe it in your own words', value: 'custom', aliases: ['custom', 'other'] },
];

const serviceType: Slot<SlotId> = {
  id: 'serviceType',
  label: 'Service type',
  questionType: 'single',
  describe: 'which kind of network service to build (vFirewall, vRouter, vLoadBalancer, vVPN, or a custom one described in words)',
  dependsOn: [],
  isKnown: (spec) => spec.serviceType !== undefined && (spec.serviceType !== 'custom' || spec.customServiceType !== undefined),
  isNeeded: () => true,
  options: () => optionsOf(serviceTypeChoices),
  apply(spec, answer) {
    const { picked } = chosen(serviceTypeChoices, answer);
    const typed = answer.text.trim();
    const base = withoutKeys(spec, 'customServiceType');
    const first = picked.find((choice) => choice.value !== 'custom') ?? picked[0];
    if (first && first.value !== 'custom') {
      const summaryText = notesFrom(serviceTypeChoices, typed);
      return { ok: true, spec: { ...base, serviceType: first.value, ...(summaryText ? { summary: summaryText } : {}) }, summary: first.label };
    }
    if (typed === '' || isVague(typed, 10)) {
      return { ok: false, vague: 'Describe the custom service in a sentence: what it manages and for whom.' };
    }
    return { ok: true, spec: { ...base, serviceType: 'custom', customServiceType: typed.slice(0, 200) }, summary: `Custom: ${typed.slice(0, 200)}` };
  },
  clear: (spec) => withoutKeys(spec, 'serviceType', 'customServiceType'),
};

const noVendorLabel = 'No vendor API (standalone service)';

const vendors: Slot<SlotId> = {
  id: 'vendors',
  label: 'Vendors and products',
  questionType: 'multi',
  describe: 'the vendor products whose management APIs the service drives (e.g. Cisco ASA, Palo Alto PAN-OS, Fortinet FortiGate, F5 BIG-IP)',
  dependsOn: ['serviceType'],
  isKnown: (spec) => spec.vendors !== undefined,
  isNeeded: () => true,
  options: (spec) => [
    ...productsFor(spec.serviceType).map((product) => ({ label: product.label, hint: product.api })),
    { label: noVendorLabel, aliases: ['none', 'no vendor', 'standalone', 'no vendors'] },
  ],
  apply(spec, answer) {
    const items = [...answer.selected, ...splitItems(answer.text)].map((item) => item.trim()).filter((item) => item !== '');
    const none = items.some((item) => matchOption([{ label: noVendorLabel, aliases: ['none', 'no vendor', 'standalone', 'no vendors'] }], item));
    const entries = new Map<string, VendorEntry>();
    for (const item of items) {
      if (matchOption([{ label: noVendorLabel, aliases: ['none', 'no vendor', 'standalone', 'no vendors'] }], item)) continue;
      const product = findProduct(item);
      if (product) {
        const entry = entries.get(product.vendor) ?? { vendor: product.vendor, name: vendorNames[product.vendor], products: [] };
        if (!entry.products.includes(product.label)) entry.products.push(product.label);
        entries.set(product.vendor, entry);
      } else if (!isVague(item, 2)) {
        const name = item.slice(0, 80);
        entries.set(`other:${name.toLowerCase()}`, { vendor: 'other', name, products: [] });
      }
    }
    if (none && entries.size > 0) return { ok: false, vague: `You picked "${noVendorLabel}" and vendors too: pick one or the other.` };
    if (none) return { ok: true, spec: withoutKeys({ ...spec, vendors: [] }, 'vendorApi'), summary: 'No vendor API' };
    if (entries.size === 0) return { ok: false, vague: `Pick at least one product, name another vendor, or pick "${noVendorLabel}".` };
    const list = [...entries.values()].slice(0, 10);
    return { ok: true, spec: { ...spec, vendors: list }, summary: list.map((entry) => (entry.products.length > 0 ? entry.products.join(', ') : entry.name)).join(', ') };
  },
  clear: (spec) => withoutKeys(spec, 'vendors'),
};

const features: Slot<SlotId> = {
  id: 'features',
  label: 'Features',
  questionType: 'multi',
  describe: 'what the service offers its users (e.g. rule management, NAT, tenant isolation, audit log); propose options that fit the service type and vendors',
  dependsOn: ['serviceType'],
  isKnown: (spec) => spec.features !== undefined,
  isNeeded: () => true,
  options: () => undefined,
  apply(spec, answer, shown) {
    const items = uniqueItems([...answer.selected, ...splitItems(answer.text)].map((item) => item.trim()).filter((item) => !isVague(item, 3)));
    const tooLong = items.find((item) => item.length > 200);
    if (tooLong) return { ok: false, vague: `A feature is at most 200 characters; split "${tooLong.slice(0, 40)}..." into shorter ones.` };
    if (items.length === 0) {
      return { ok: false, vague: shown.length > 0 ? 'Pick at least one feature or type your own.' : 'Name at least one feature, separated by commas.' };
    }
    const list = items.slice(0, 30);
    return { ok: true, spec: { ...spec, features: list }, summary: list.join(', ') };
  },
  clear: (spec) => withoutKeys(spec, 'features'),
};

type Auth = NonNullable<SpecDraft['vendorApi']>['auth'];
const authChoices: Choice<Auth>[] = [
  { label: 'API key', value: 'api-key', aliases: ['apikey', 'key', 'api token'] },
  { label: 'Username and password (basic auth)', value: 'basic', aliases: ['basic', 'basic auth', 'username and password', 'password'] },
  { label: 'OAuth 2.0 client credentials', value: 'oauth2', aliases: ['oauth', 'oauth2', 'oauth 2', 'client credentials'] },
  { label: 'Session token from a login call', value: 'session-token', aliases: ['session', 'session token', 'token', 'login token'] },
  { label: 'Client certificate (mTLS)', value: 'certificate', aliases: ['certificate', 'cert', 'mtls', 'client certificate'] },
];

const vendorApi: Slot<SlotId> = {
  id: 'vendorApi',
  label: 'Vendor API authentication',
  questionType: 'single',
  describe: 'how the service authenticates to the vendor management APIs',
  dependsOn: ['vendors'],
  isKnown: (spec) => spec.vendorApi !== undefined,
  isNeeded: (spec) => spec.vendors === undefined || spec.vendors.length > 0,
  options: () => optionsOf(authChoices),
  apply(spec, answer) {
    const { picked } = chosen(authChoices, answer);
    const first = picked[0];
    if (!first) return { ok: false, vague: 'Pick how the service signs in to the vendor APIs.' };
    const notes = notesFrom(authChoices, answer.text);
    return { ok: true, spec: { ...spec, vendorApi: { auth: first.value, ...(notes ? { notes } : {}) } }, summary: first.label };
  },
  clear: (spec) => withoutKeys(spec, 'vendorApi'),
};

type PricingModel = NonNullable<SpecDraft['pricing']>['model'];
const pricingChoices: Choice<PricingModel>[] = [
  { label: 'Free / internal use', value: 'free', aliases: ['free', 'internal', 'none'] },
  { label: 'Flat monthly fee', value: 'flat', aliases: ['flat', 'monthly', 'subscription', 'flat fee'] },
  { label: 'Per instance', value: 'per-instance', aliases: ['per instance', 'per device', 'per firewall'] },
  { label: 'Usage-based', value: 'usage', aliases: ['usage', 'pay per use', 'metered', 'pay as you go'] },
  { label: 'Tiered plans', value: 'tiered', aliases: ['tiered', 'tiers', 'plans'] },
];

const pricing: Slot<SlotId> = {
  id: 'pricing',
  label: 'Pricing model',
  questionType: 'single',
  describe: 'how the service is charged to its customers',
  dependsOn: [],
  isKnown: (spec) => spec.pricing !== undefined,
  isNeeded: () => true,
  options: () => optionsOf(pricingChoices),
  apply(spec, answer) {
    const first = chosen(pricingChoices, answer).picked[0];
    if (!first) return { ok: false, vague: 'Pick one pricing model (you can add details in the text box).' };
    const notes = notesFrom(pricingChoices, answer.text);
    return { ok: true, spec: { ...spec, pricing: { model: first.value, ...(notes ? { notes } : {}) } }, summary: first.label };
  },
  clear: (spec) => withoutKeys(spec, 'pricing'),
};

type Observe = 'json-stdout' | 'syslog' | 'file' | 'prometheus' | 'opentelemetry' | 'tracing' | 'no-metrics';
const observabilityChoices: Choice<Observe>[] = [
  { label: 'Structured JSON logs (stdout)', value: 'json-stdout', aliases: ['json', 'json logs', 'stdout', 'structured logs'] },
  { label: 'Syslog', value: 'syslog', aliases: ['syslog'] },
  { label: 'Log files', value: 'file', aliases: ['file', 'log file', 'files'] },
  { label: 'Prometheus metrics', value: 'prometheus', aliases: ['prometheus'] },
  { label: 'OpenTelemetry metrics', value: 'opentelemetry', aliases: ['otel', 'opentelemetry', 'otel metrics'] },
  { label: 'OpenTelemetry tracing', value: 'tracing', aliases: ['tracing', 'traces', 'distributed tracing'] },
  { label: 'No metrics', value: 'no-metrics', aliases: ['no metrics'] },
];

const observability: Slot<SlotId> = {
  id: 'observability',
  label: 'Logging and monitoring',
  questionType: 'multi',
  describe: 'where logs go, which metrics are exported, and whether requests are traced',
  dependsOn: [],
  isKnown: (spec) => spec.observability !== undefined,
  isNeeded: () => true,
  options: () => optionsOf(observabilityChoices),
  apply(spec, answer) {
    const values = chosen(observabilityChoices, answer).picked.map((choice) => choice.value);
    const logging = (['json-stdout', 'syslog', 'file'] as const).filter((kind) => values.includes(kind));
    if (logging.length === 0) return { ok: false, vague: 'Pick at least one place for the logs (JSON on stdout, syslog or files).' };
    const metricsPicked = (['prometheus', 'opentelemetry'] as const).filter((kind) => values.includes(kind));
    if (metricsPicked.length > 1 || (metricsPicked.length === 1 && values.includes('no-metrics'))) {
      return { ok: false, vague: 'Pick one metrics option: Prometheus, OpenTelemetry, or no metrics.' };
    }
    const metrics = metricsPicked[0] ?? 'none';
    const tracing = values.includes('tracing');
    const labels = observabilityChoices.filter((choice) => values.includes(choice.value)).map((choice) => choice.label);
    if (metrics === 'none' && !values.includes('no-metrics')) labels.push('no metrics');
    return { ok: true, spec: { ...spec, observability: { logging, metrics, tracing } }, summary: labels.join(', ') };
  },
  clear: (spec) => withoutKeys(spec, 'observability'),
};

type Stack = NonNullable<SpecDraft['target']>;
const targetChoices: Choice<Stack>[] = [
  { label: 'Python / FastAPI (recommended)', value: { language: 'python', framework: 'fastapi' }, aliases: ['fastapi', 'python fastapi'] },
  { label: 'Python / Flask', value: { language: 'python', framework: 'flask' }, aliases: ['flask', 'python flask'] },
  { label: 'TypeScript / Express', value: { language: 'typescript', framework: 'express' }, aliases: ['express', 'node express', 'typescript express'] },
  { label: 'TypeScript / Fastify', value: { language: 'typescript', framework: 'fastify' }, aliases: ['fastify', 'node fastify', 'typescript fastify'] },
];

const target: Slot<SlotId> = {
  id: 'target',
  label: 'Language and framework',
  questionType: 'single',
  describe: 'the language and web framework of the generated service (Python/FastAPI is the default to propose)',
  dependsOn: [],
  isKnown: (spec) => spec.target !== undefined,
  isNeeded: () => true,
  options: () => optionsOf(targetChoices),
  apply(spec, answer) {
    const first = chosen(targetChoices, answer).picked[0];
    if (first) return { ok: true, spec: { ...spec, target: { ...first.value } }, summary: first.label.replace(' (recommended)', '') };
    const typed = answer.text.toLowerCase();
    if (/python/.test(typed)) return { ok: false, vague: 'Which Python framework: FastAPI (recommended) or Flask?' };
    if (/typescript|node|javascript/.test(typed)) return { ok: false, vague: 'Which TypeScript framework: Express or Fastify?' };
    return { ok: false, vague: 'Pick a language and framework.' };
  },
  clear: (spec) => withoutKeys(spec, 'target'),
};

type Deploy = NonNullable<SpecDraft['deployment']>['targets'][number];
const deploymentChoices: Choice<Deploy>[] = [
  { label: 'Docker image', value: 'docker', aliases: ['docker', 'container', 'dockerfile'] },
  { label: 'Docker Compose', value: 'compose', aliases: ['compose', 'docker compose', 'docker-compose'] },
  { label: 'Kubernetes manifests', value: 'kubernetes', aliases: ['kubernetes', 'k8s', 'helm', 'kubernetes manifests'] },
];

const deployment: Slot<SlotId> = {
  id: 'deployment',
  label: 'Deployment',
  questionType: 'multi',
  describe: 'how the service is packaged and deployed',
  dependsOn: [],
  isKnown: (spec) => spec.deployment !== undefined,
  isNeeded: () => true,
  options: () => optionsOf(deploymentChoices),
  apply(spec, answer) {
    const found = chosen(deploymentChoices, answer).picked;
    const picked = deploymentChoices.filter((choice) => found.includes(choice));
    if (picked.length === 0) return { ok: false, vague: 'Pick at least one way to deploy the service.' };
    return { ok: true, spec: { ...spec, deployment: { targets: picked.map((choice) => choice.value) } }, summary: picked.map((choice) => choice.label).join(', ') };
  },
  clear: (spec) => withoutKeys(spec, 'deployment'),
};

type TestChoice = 'unit' | 'integration' | 'contract' | 'mock' | 'coverage80';
const testingChoices: Choice<TestChoice>[] = [
  { label: 'Unit tests', value: 'unit', aliases: ['unit'] },
  { label: 'Integration tests', value: 'integration', aliases: ['integration'] },
  { label: 'Contract tests against the vendor API specs', value: 'contract', aliases: ['contract', 'contract tests'] },
  { label: 'Mock the vendor APIs in tests', value: 'mock', aliases: ['mock', 'mocks', 'mock vendor apis'] },
  { label: 'Coverage of at least 80%', value: 'coverage80', aliases: ['coverage'] },
];

const testing: Slot<SlotId> = {
  id: 'testing',
  label: 'Testing',
  questionType: 'multi',
  describe: 'which tests the generated project must have and pass',
  dependsOn: [],
  isKnown: (spec) => spec.testing !== undefined,
  isNeeded: () => true,
  options: () => optionsOf(testingChoices),
  apply(spec, answer) {
    const values = chosen(testingChoices, answer).picked.map((choice) => choice.value);
    const levels = (['unit', 'integration', 'contract'] as const).filter((level) => values.includes(level));
    if (levels.length === 0) return { ok: false, vague: 'Pick at least one kind of test: unit, integration or contract.' };
    const typedCoverage = /(\d{1,3})\s*%/.exec(answer.text)?.[1];
    const coverage = typedCoverage !== undefined && Number(typedCoverage) <= 100 ? Number(typedCoverage) : values.includes('coverage80') ? 80 : undefined;
    const next = { levels, mockVendorApis: values.includes('mock'), ...(coverage !== undefined ? { coverageTarget: coverage } : {}) };
    const summary = [...levels.map((level) => `${level} tests`), ...(next.mockVendorApis ? ['mocked vendor APIs'] : []), ...(coverage !== undefined ? [`coverage ≥ ${coverage}%`] : [])];
    return { ok: true, spec: { ...spec, testing: next }, summary: summary.join(', ') };
  },
  clear: (spec) => withoutKeys(spec, 'testing'),
};

/** Every question the interview can ask, in the order it asks them when the model has no preference. */
export const interviewSlots: readonly Slot<SlotId>[] = [serviceType, vendors, features, vendorApi, pricing, observability, target, deployment, testing];

export function slotById(id: SlotId): Slot<SlotId> {
  const slot = interviewSlots.find((candidate) => candidate.id === id);
  if (!slot) throw new Error(`No interview slot "${id}"`);
  return slot;
}

/** The questions still to ask for this spec, in default order. */
export function remainingSlots(spec: SpecDraft): Slot<SlotId>[] {
  return interviewSlots.filter((slot) => slot.isNeeded(spec) && !slot.isKnown(spec));
}

/** Slots that build on `id`, transitively (editing `id` re-asks them). */
export function dependentsOf(id: SlotId): SlotId[] {
  const found = new Set<SlotId>();
  const visit = (current: SlotId) => {
    for (const slot of interviewSlots) {
      if (slot.dependsOn.includes(current) && !found.has(slot.id)) {
        found.add(slot.id);
        visit(slot.id);
      }
    }
  };
  visit(id);
  return [...found];
}

const labelsOf = <V extends string>(choices: readonly Choice<V>[]): Record<V, string> =>
  Object.fromEntries(choices.map((choice) => [choice.value, choice.label.replace(/\s*\((recommended|default)\)$/i, '')])) as Record<V, string>;

/**
 * The words for the codes a spec stores (`api-key` → "API key", `per-instance` → "Per instance"):
 * the labels the interview offered, for summaries that people read.
 */
export const specValueLabels = {
  serviceType: Object.fromEntries(serviceTypeChoices.map((choice) => [choice.value, choice.hint ? `${choice.label} (${choice.hint})` : choice.label])) as Record<NonNullable<SpecDraft['serviceType']>, string>,
  auth: labelsOf(authChoices),
  pricing: labelsOf(pricingChoices),
  observability: labelsOf(observabilityChoices),
  deployment: labelsOf(deploymentChoices),
  testing: labelsOf(testingChoices),
  /** "Python / FastAPI" for a stack, or the stack as stored when the interview never offers it. */
  target: (stack: Stack): string =>
    targetChoices.find((choice) => choice.value.language === stack.language && choice.value.framework === stack.framework)?.label.replace(/\s*\(recommended\)$/i, '') ??
    `${stack.language} / ${stack.framework}`,
};
