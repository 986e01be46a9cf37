import type { SpecCheck, SpecDraft } from '../../src-shared/domain/serviceSpec.ts';
import { slotById, type SlotId } from '../../src-shared/interview/interviewSlots.ts';

/** One line per known field of a spec draft ("Features: NAT policies, Audit log"), in interview order. */
export function describeSpec(spec: SpecDraft): string[] {
  const lines: [SlotId, string | undefined][] = [
    ['serviceType', spec.serviceType === 'custom' ? `custom: ${spec.customServiceType ?? '(not described)'}` : spec.serviceType],
    [
      'vendors',
      spec.vendors &&
        (spec.vendors.length === 0
          ? 'none (standalone service)'
          : spec.vendors.map((entry) => (entry.products.length > 0 ? entry.products.join(', ') : entry.name)).join(', ')),
    ],
    ['features', spec.features?.join(', ')],
    ['vendorApi', spec.vendorApi && withNotes(spec.vendorApi.auth, spec.vendorApi.notes)],
    ['pricing', spec.pricing && withNotes(spec.pricing.model, spec.pricing.notes)],
    [
      'observability',
      spec.observability &&
        `logs to ${spec.observability.logging.join(', ')}; metrics: ${spec.observability.metrics}; tracing ${spec.observability.tracing ? 'on' : 'off'}`,
    ],
    ['target', spec.target && `${spec.target.language} / ${spec.target.framework}`],
    ['deployment', spec.deployment?.targets.join(', ')],
    [
      'testing',
      spec.testing &&
        [
          `${spec.testing.levels.join(', ')} tests`,
          ...(spec.testing.mockVendorApis ? ['mocked vendor APIs'] : []),
          ...(spec.testing.coverageTarget !== undefined ? [`coverage ≥ ${spec.testing.coverageTarget}%`] : []),
        ].join('; '),
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
