import { specDraftSchema, type SpecDraft, type SpecProblem } from '../../../../src-shared/domain/serviceSpec.ts';

export type ParsedSpecJson = { ok: true; spec: SpecDraft } | { ok: false; syntax?: string; problems: SpecProblem[] };

/**
 * The JSON tab's text as a draft, checked here before anything is sent: a syntax error with the
 * parser's words (position included), or each schema problem with its path.
 */
export function parseSpecJson(text: string): ParsedSpecJson {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, syntax: `Not valid JSON: ${error instanceof Error ? error.message : String(error)}`, problems: [] };
  }
  const parsed = specDraftSchema.safeParse(value);
  if (parsed.success) return { ok: true, spec: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((issue) => ({ path: issue.path.length > 0 ? issue.path.join('.') : '(whole spec)', message: issue.message })),
  };
}
