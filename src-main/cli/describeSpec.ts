import type { SpecCheck, SpecDraft } from '../../src-shared/domain/serviceSpec.ts';
import { slotById, specValueLabels as words, type SlotId } from '../../src-shared/interview/interviewSlots.ts';

/**
 * One line per known field of a spec draft ("Features: NAT policies, Audit log"), in interview
 * order, in words: the labels the interview offered, never the codes the spec stores.
 */
export function describeSpec(spec: SpecDraft): string[] {
  const lines: [SlotId, string | undefined][] = [
    ['serviceType', spec.serviceType === 'custom' ? `Custom service: ${spec.customServiceType ?? '(not described)'}` : spec.serviceType && words.serviceType[spec.serviceType]],
    [
      'vendors',
      spec.vendors &&
        (spec.vendors.length === 0
          ? 'none (standalone service)'
          : spec.vendors.map((entry) => (entry.products.length > 0 ? entry.products.join(', ') : entry.name)).join(', ')),
    ],
    ['features', spec.features?.join(', ')],
    ['vendorApi', spec.vendorApi && withNotes(words.auth[spec.vendorApi.auth], spec.vendorApi.notes)],
    ['pricing', spec.pricing && withNotes(words.pricing[spec.pricing.model], spec.pricing.notes)],
    [
      'observability',
      spec.observability &&
        [
          ...spec.observability.logging.map((kind) => words.observability[kind]),
          words.observability[spec.observability.metrics === 'none' ? 'no-metrics' : spec.observability.metrics],
          spec.observability.tracing ? words.observability.tracing : 'No tracing',
        ].join(', '),
    ],
    ['target', spec.target && words.target(spec.target)],
    ['deployment', spec.deployment?.targets.map((target) => words.deployment[target]).join(', ')],
    [
      'testing',
      spec.testing &&
        [
          ...spec.testing.levels.map((level) => words.testing[level]),
          ...(spec.testing.mockVendorApis ? [words.testing.mock] : []),
          ...(spec.testing.coverageTarget !== undefined ? [`Coverage of at least ${spec.testing.coverageTarget}%`] : []),
        ].join(', '),
    ],
  ];
  return [
    ...(spec.name ? [`Name: ${spec.name}`] : []),
    ...lines.filter((line): line is [SlotId, string] => line[1] !== undefined).map(([id, value]) => `${slotById(id).label}: ${value}`),
  ];
}

/** Each problem as `path: message` ("(spec)" when it concerns the whole spec). */
export function problemLines(check: SpecCheck): string[] {
  return check.problems.map((problem) => `${problem.path || '(spec)'}: ${problem.message}`);
}

/** "The spec is complete." or the problems, indented, under a count. */
export function describeCheck(check: SpecCheck): string {
  if (check.valid) return 'The spec is complete.';
  const count = check.problems.length;
  return [`The spec is not complete (${count} problem${count === 1 ? '' : 's'}):`, ...problemLines(check).map((line) => `  ${line}`)].join('\n');
}

function withNotes(value: string, notes: string | undefined): string {
  return notes ? `${value} (${notes})` : value;
}
