import type { ProviderConfig, ProviderType } from '../../../src-shared/domain/provider.ts';
import type { ProviderTypeInfo } from '../../../src-shared/domain/providerTypeInfo.ts';
import { formField, locationFor } from './providerTypeFields.ts';

/** The add/edit form's fields as typed; the core validates what they become. */
export interface ProviderDraft {
  type: ProviderType;
  id: string;
  label: string;
  baseUrl: string;
  /** Comma- or line-separated. */
  models: string;
  /**
   * Types that offer the choice (OpenAI-compatible): the server runs on this machine or the local
   * network. Undefined until the user ticks or unticks it: the address decides (loopback is local).
   */
  local: boolean | undefined;
  requestsPerMinute: string;
  tokensPerMinute: string;
  /** The most requests started within one second; empty: none. */
  burst: string;
  /** Seconds; empty: the app's default. */
  firstTokenTimeoutSeconds: string;
  /** Seconds; empty: the app's default. */
  totalTimeoutSeconds: string;
  apiKeyEnv: string;
  enabled: boolean;
}

/** The most a provider timeout may be, in seconds (6 hours). */
export const maxTimeoutSeconds = 6 * 3600;

/** A new provider; the form sets `type` to the first type the core lists. */
export const emptyDraft: ProviderDraft = {
  type: '',
  id: '',
  label: '',
  baseUrl: '',
  models: '',
  local: undefined,
  requestsPerMinute: '',
  tokensPerMinute: '',
  burst: '',
  firstTokenTimeoutSeconds: '',
  totalTimeoutSeconds: '',
  apiKeyEnv: '',
  enabled: true,
};

const draftTextFields = ['type', 'id', 'label', 'baseUrl', 'models', 'requestsPerMinute', 'tokensPerMinute', 'burst', 'firstTokenTimeoutSeconds', 'totalTimeoutSeconds', 'apiKeyEnv'] as const;

/** A form draft kept from an earlier visit (it may come from an older version of the app): the shape, checked. */
export function isProviderDraft(value: unknown): value is ProviderDraft {
  if (typeof value !== 'object' || value === null) return false;
  const draft = value as Record<string, unknown>;
  return draftTextFields.every((field) => typeof draft[field] === 'string') && typeof draft.enabled === 'boolean' && (draft.local === undefined || typeof draft.local === 'boolean');
}

/** Whether two drafts hold the same values (an edit that changed nothing is not kept). */
export function sameDraft(a: ProviderDraft, b: ProviderDraft): boolean {
  return draftTextFields.every((field) => a[field] === b[field]) && a.enabled === b.enabled && a.local === b.local;
}

export function draftFromConfig(config: ProviderConfig): ProviderDraft {
  return {
    type: config.type,
    id: config.id,
    label: config.label,
    baseUrl: config.baseUrl ?? '',
    models: config.models.join('\n'),
    local: config.location === 'local',
    requestsPerMinute: config.limits.requestsPerMinute?.toString() ?? '',
    tokensPerMinute: config.limits.tokensPerMinute?.toString() ?? '',
    burst: config.limits.burst?.toString() ?? '',
    firstTokenTimeoutSeconds: config.firstTokenTimeoutMs === undefined ? '' : String(config.firstTokenTimeoutMs / 1000),
    totalTimeoutSeconds: config.totalTimeoutMs === undefined ? '' : String(config.totalTimeoutMs / 1000),
    apiKeyEnv: config.apiKeyEnv ?? '',
    enabled: config.enabled,
  };
}

/** The form's fields by their labels, for saying which of them changed elsewhere. */
const fieldWords: Record<keyof ProviderDraft, string> = {
  type: 'Type',
  id: 'Id',
  label: 'Label',
  baseUrl: 'Base URL',
  models: 'Models',
  local: 'On this machine',
  requestsPerMinute: 'Requests per minute',
  tokensPerMinute: 'Tokens per minute',
  burst: 'Requests started per second',
  firstTokenTimeoutSeconds: 'Wait for the first word',
  totalTimeoutSeconds: 'Longest answer',
  apiKeyEnv: 'Key variable',
  enabled: 'On or off',
};

export interface RebasedDraft {
  draft: ProviderDraft;
  /** Per field, the stored value its edit was made against (the stored one for a field not edited). */
  base: ProviderDraft;
  /** Fields edited here whose stored value moved elsewhere meanwhile, holding something else again. */
  changedElsewhere: (keyof ProviderDraft)[];
}

/**
 * An edit of a provider over the stored one that moved on (the CLI, another window): a field not
 * edited (as its base) takes the stored value, so saving does not put back what was changed
 * elsewhere; a field edited to what is stored now has landed (its base moves); another edit is
 * kept, and named in `changedElsewhere` when its stored value moved under it.
 */
export function rebaseProviderDraft(draft: ProviderDraft, base: ProviderDraft, stored: ProviderDraft): RebasedDraft {
  const next: Record<string, unknown> = { ...draft };
  const nextBase: Record<string, unknown> = { ...base };
  const changedElsewhere: (keyof ProviderDraft)[] = [];
  // As saved: the models as a list, text trimmed; a location not chosen yet (undefined) is no edit.
  const same = (field: keyof ProviderDraft, a: ProviderDraft, b: ProviderDraft): boolean =>
    field === 'models' ? parseModels(a.models).join('\n') === parseModels(b.models).join('\n') : typeof a[field] === 'string' ? String(a[field]).trim() === String(b[field]).trim() : a[field] === b[field];
  for (const field of Object.keys(fieldWords) as (keyof ProviderDraft)[]) {
    if (same(field, draft, base) || same(field, draft, stored) || (field === 'local' && draft.local === undefined)) {
      next[field] = same(field, draft, stored) ? draft[field] : stored[field];
      nextBase[field] = stored[field];
    } else if (!same(field, base, stored)) changedElsewhere.push(field);
  }
  return { draft: next as unknown as ProviderDraft, base: nextBase as unknown as ProviderDraft, changedElsewhere };
}

/** What a rebase keeps, in words: "This provider changed elsewhere while you edited it: Label is now "Box" there. …" */
export function changedElsewhereSentence(fields: readonly (keyof ProviderDraft)[], stored: ProviderDraft): string {
  const now = (field: keyof ProviderDraft): string => {
    const value = stored[field];
    if (field === 'enabled') return value === true ? 'on' : 'off';
    if (field === 'local') return value === true ? 'yes' : 'no';
    const text = String(value ?? '').replaceAll('\n', ', ');
    return text === '' ? 'empty' : /^\d+$/.test(text) ? text : `"${text}"`;
  };
  const list = fields.map((field) => `${fieldWords[field]} is now ${now(field)} there`).join('; ');
  return `This provider changed elsewhere while you edited it: ${list}. Saving replaces ${fields.length === 1 ? 'it' : 'them'} with yours; the fields you did not change show what is saved now.`;
}

/** "a, b\nc" → ["a", "b", "c"], without blanks or repeats. */
export function parseModels(text: string): string[] {
  return [...new Set(text.split(/[,\n]/).map((model) => model.trim()).filter((model) => model !== ''))];
}

/**
 * A number as people type it: digits, a point, a sign. `Number` alone read "0x10" as 16 and
 * "1e3" as 1000, so such text was saved as a limit or timeout nobody typed.
 */
function plainNumber(text: string): number {
  return /^-?(?:\d+(?:\.\d*)?|\.\d+)$/.test(text) ? Number(text) : Number.NaN;
}

function optionalNumber(text: string): number | undefined {
  const trimmed = text.trim();
  // Not-a-number is sent as is (JSON null) so the core's message names the field.
  return trimmed === '' ? undefined : plainNumber(trimmed);
}

/**
 * What is wrong with the draft's timeouts, in words for the form (the core would name a field
 * path); undefined when they are fine or empty.
 */
export function timeoutProblem(draft: ProviderDraft): string | undefined {
  const fields = [
    ['The wait for the first token', draft.firstTokenTimeoutSeconds],
    ['The longest answer time', draft.totalTimeoutSeconds],
  ] as const;
  for (const [name, text] of fields) {
    const trimmed = text.trim();
    if (trimmed === '') continue;
    const seconds = plainNumber(trimmed);
    if (!Number.isInteger(seconds) || seconds < 1 || seconds > maxTimeoutSeconds) {
      return `${name} is a whole number of seconds from 1 to ${maxTimeoutSeconds} (6 hours), not "${trimmed.slice(0, 20)}". Leave it empty for the default.`;
    }
  }
  return undefined;
}

/** The configuration the draft becomes, with the fields its type's form shows (`info`, from the core). */
export function configFromDraft(draft: ProviderDraft, info: ProviderTypeInfo | undefined): ProviderConfig {
  const id = draft.id.trim();
  const baseUrl = formField(info, 'baseUrl') ? draft.baseUrl.trim() : '';
  const apiKeyEnv = formField(info, 'apiKeyEnv') ? draft.apiKeyEnv.trim() : '';
  const requestsPerMinute = optionalNumber(draft.requestsPerMinute);
  const tokensPerMinute = optionalNumber(draft.tokensPerMinute);
  const burst = optionalNumber(draft.burst);
  const firstTokenSeconds = optionalNumber(draft.firstTokenTimeoutSeconds);
  const totalSeconds = optionalNumber(draft.totalTimeoutSeconds);
  return {
    id,
    type: draft.type,
    label: draft.label.trim() || id,
    location: locationFor(info, draft.local, baseUrl),
    ...(baseUrl === '' ? {} : { baseUrl }),
    models: parseModels(draft.models),
    ...(apiKeyEnv === '' ? {} : { apiKeyEnv }),
    limits: {
      ...(requestsPerMinute === undefined ? {} : { requestsPerMinute }),
      ...(tokensPerMinute === undefined ? {} : { tokensPerMinute }),
      // Kept through an edit: without it a burst set elsewhere (the CLI) was dropped by any save here.
      ...(burst === undefined ? {} : { burst }),
    },
    enabled: draft.enabled,
    ...(firstTokenSeconds === undefined ? {} : { firstTokenTimeoutMs: firstTokenSeconds * 1000 }),
    ...(totalSeconds === undefined ? {} : { totalTimeoutMs: totalSeconds * 1000 }),
  };
}
