import { currentSpecVersion, specDraftSchema, type Framework, type Language, type ServiceType, type SpecDraft, type SpecProblem, type VendorId } from '../../../../src-shared/domain/serviceSpec.ts';
import { vendorNames } from '../../../../src-shared/domain/vendorCatalog.ts';
import type { AuthMethod, DeploymentTarget, LogOutput, MetricsKind, PricingModel, TestLevel } from './specLabels.ts';

export interface VendorRow {
  /** A React key that stays with the row while rows are added and removed. */
  key: number;
  vendor: VendorId;
  name: string;
  /** Product names separated by commas. */
  products: string;
}

/** `unset`: not answered yet; `none`: a standalone service (an empty list); `list`: the rows. */
export type VendorsMode = 'unset' | 'none' | 'list';

/** The spec as the form edits it: every field a string, list or flag; '' means "not set". */
export interface SpecForm {
  name: string;
  summary: string;
  serviceType: ServiceType | '';
  customServiceType: string;
  vendorsMode: VendorsMode;
  vendors: VendorRow[];
  /** One per line. */
  features: string;
  auth: AuthMethod | '';
  authNotes: string;
  pricingModel: PricingModel | '';
  pricingNotes: string;
  logging: LogOutput[];
  metrics: MetricsKind | '';
  tracing: boolean;
  language: Language | '';
  framework: Framework | '';
  deployment: DeploymentTarget[];
  testLevels: TestLevel[];
  mockVendorApis: boolean;
  /** A whole percentage, or ''. */
  coverage: string;
}

let nextRowKey = 1;

export function newVendorRow(vendor: VendorId = 'other'): VendorRow {
  return { key: nextRowKey++, vendor, name: vendor === 'other' ? '' : vendorNames[vendor], products: '' };
}

export function formFromSpec(spec: SpecDraft): SpecForm {
  return {
    name: spec.name ?? '',
    summary: spec.summary ?? '',
    serviceType: spec.serviceType ?? '',
    customServiceType: spec.customServiceType ?? '',
    vendorsMode: spec.vendors === undefined ? 'unset' : spec.vendors.length === 0 ? 'none' : 'list',
    vendors: (spec.vendors ?? []).map((entry) => ({ key: nextRowKey++, vendor: entry.vendor, name: entry.name, products: entry.products.join(', ') })),
    features: (spec.features ?? []).join('\n'),
    auth: spec.vendorApi?.auth ?? '',
    authNotes: spec.vendorApi?.notes ?? '',
    pricingModel: spec.pricing?.model ?? '',
    pricingNotes: spec.pricing?.notes ?? '',
    logging: [...(spec.observability?.logging ?? [])],
    metrics: spec.observability?.metrics ?? '',
    tracing: spec.observability?.tracing ?? false,
    language: spec.target?.language ?? '',
    framework: spec.target?.framework ?? '',
    deployment: [...(spec.deployment?.targets ?? [])],
    testLevels: [...(spec.testing?.levels ?? [])],
    mockVendorApis: spec.testing?.mockVendorApis ?? false,
    coverage: spec.testing?.coverageTarget === undefined ? '' : String(spec.testing.coverageTarget),
  };
}

export type DraftResult = { ok: true; spec: SpecDraft } | { ok: false; problems: SpecProblem[] };

const items = (text: string, separator: RegExp): string[] =>
  text
    .split(separator)
    .map((item) => item.trim())
    .filter((item) => item !== '');

/**
 * The draft the form describes, checked with the shared schema before anything is sent. Fields
 * left empty are left out (not answered yet); a half-filled group (notes without a method, a
 * language without a framework) is a problem rather than silently dropped.
 */
export function specFromForm(form: SpecForm): DraftResult {
  const problems: SpecProblem[] = [];
  const draft: Record<string, unknown> = { specVersion: currentSpecVersion };
  const text = (value: string) => value.trim();

  if (text(form.name) !== '') draft.name = form.name;
  if (text(form.summary) !== '') draft.summary = form.summary;
  if (form.serviceType !== '') {
    draft.serviceType = form.serviceType;
    if (form.serviceType === 'custom' && text(form.customServiceType) !== '') draft.customServiceType = form.customServiceType;
  }
  if (form.vendorsMode === 'none') draft.vendors = [];
  if (form.vendorsMode === 'list') {
    draft.vendors = form.vendors.map((row) => ({
      vendor: row.vendor,
      name: text(row.name) === '' && row.vendor !== 'other' ? vendorNames[row.vendor] : row.name,
      products: items(row.products, /[,\n]/),
    }));
  }
  const features = items(form.features, /\n/);
  if (features.length > 0) draft.features = features;

  if (form.auth !== '') draft.vendorApi = { auth: form.auth, ...(text(form.authNotes) !== '' ? { notes: form.authNotes } : {}) };
  else if (text(form.authNotes) !== '') problems.push({ path: 'vendorApi.auth', message: 'pick how the service signs in, or clear the notes' });

  if (form.pricingModel !== '') draft.pricing = { model: form.pricingModel, ...(text(form.pricingNotes) !== '' ? { notes: form.pricingNotes } : {}) };
  else if (text(form.pricingNotes) !== '') problems.push({ path: 'pricing.model', message: 'pick a pricing model, or clear the notes' });

  if (form.logging.length > 0 || form.metrics !== '' || form.tracing) {
    if (form.metrics === '') problems.push({ path: 'observability.metrics', message: 'pick the metrics (or No metrics)' });
    else draft.observability = { logging: form.logging, metrics: form.metrics, tracing: form.tracing };
  }

  if (form.language !== '' && form.framework !== '') draft.target = { language: form.language, framework: form.framework };
  else if (form.language !== '') problems.push({ path: 'target.framework', message: 'pick a framework' });
  else if (form.framework !== '') problems.push({ path: 'target.language', message: 'pick a language' });

  if (form.deployment.length > 0) draft.deployment = { targets: form.deployment };

  const coverage = text(form.coverage);
  if (form.testLevels.length > 0 || form.mockVendorApis || coverage !== '') {
    const percent = /^\d{1,3}$/.test(coverage) ? Number(coverage) : Number.NaN;
    const validPercent = percent >= 0 && percent <= 100;
    if (coverage !== '' && !validPercent) problems.push({ path: 'testing.coverageTarget', message: 'a whole percentage from 0 to 100' });
    draft.testing = { levels: form.testLevels, mockVendorApis: form.mockVendorApis, ...(validPercent ? { coverageTarget: percent } : {}) };
  }

  const parsed = specDraftSchema.safeParse(draft);
  if (!parsed.success) problems.push(...parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })));
  if (!parsed.success || problems.length > 0) return { ok: false, problems };
  return { ok: true, spec: parsed.data };
}
