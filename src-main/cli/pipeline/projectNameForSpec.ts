import { basename } from 'node:path';
import { projectNameSchema } from '../../../src-shared/domain/project.ts';
import type { SpecDraft } from '../../../src-shared/domain/serviceSpec.ts';

/**
 * The project a spec file creates is named after the spec's `name`, else after the file
 * (`edge-firewall.service-spec.json` → "edge-firewall"); undefined when neither makes a valid name.
 */
export function projectNameForSpec(spec: SpecDraft, file: string): string | undefined {
  const fromFile = basename(file)
    .replace(/\.json$/i, '')
    .replace(/\.service-spec$/i, '');
  for (const candidate of [spec.name, fromFile]) {
    const parsed = projectNameSchema.safeParse(candidate);
    if (parsed.success) return parsed.data;
  }
  return undefined;
}
