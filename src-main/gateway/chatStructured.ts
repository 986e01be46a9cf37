import { z } from 'zod';
import { AppError } from '../../src-shared/AppError.ts';
import { fitToTokens } from './fitToTokens.ts';
import type { ChatMessage, JsonSchema } from '../modelCall/modelCallTypes.ts';
import type { RouteRequest, RouteResult } from '../modelCall/modelCallTypes.ts';

export interface StructuredRequest<T extends z.ZodType> extends Omit<RouteRequest, 'schema'> {
  schema: T;
  /** Names the shape for providers that want a name (OpenAI json_schema, Anthropic tool). */
  schemaName: string;
}

export interface StructuredResult<T> {
  value: T;
  result: RouteResult;
  /** True when the first answer was invalid and the repair attempt fixed it. */
  repaired: boolean;
}

type Chat = (request: RouteRequest) => Promise<RouteResult>;

/**
 * A structured answer is read up to this many characters unless the caller says otherwise: far
 * more than any schema here needs (a 60-file plan is well under it), so a longer answer is a
 * runaway, stopped before it fills memory, while a plan with too many entries still parses and is
 * reported as what it is ("the plan lists 5000 files; at most 60").
 */
export const defaultStructuredMaxChars = 2_000_000;
/** The most of an invalid answer echoed back in its repair, before sizing it to the window. */
const maxEchoChars = 20_000;
/** Role and framing tokens per chat message (chat templates add a few). */
const perMessageTokens = 8;

/** Why an answer is not usable: `cut-off` and `too-long` answers are never echoed back. */
type Check = { ok: true; value: unknown } | { ok: false; cause: 'invalid' | 'cut-off' | 'too-long' | 'stopped'; problem: string };

/**
 * A structured answer: the JSON Schema of `schema` goes to the provider (each maps it natively),
 * the answer is parsed and validated with zod here whatever the provider promised, and an invalid
 * answer gets exactly one repair attempt on the same target, told the exact problem. An answer
 * cut off by the token limit is reported as cut off (not as bad JSON) and its repair asks for a
 * shorter answer; an invalid answer is echoed in its repair only as far as it fits the target's
 * context window, counted with the target's tokenizer. Still unusable: a typed INVALID_OUTPUT error.
 */
export async function chatStructured<T extends z.ZodType>(chat: Chat, request: StructuredRequest<T>): Promise<StructuredResult<z.output<T>>> {
  const jsonSchema = toProviderSchema(request.schema);
  const { schema, schemaName, ...rest } = request;
  // Only an answer that fits the schema is kept by the response cache (its repair's too: built from `base`).
  const base: RouteRequest = { ...rest, maxChars: rest.maxChars ?? defaultStructuredMaxChars, schema: { name: schemaName, jsonSchema }, keepable: (text) => validate(schema, text).ok };
  const [first, firstCheck] = await usableOrAskedAgain(chat, base, (result) => check(schema, result, base), schemaName, request.onEvent);
  if (firstCheck.ok) return { value: firstCheck.value as z.output<T>, result: first, repaired: false };

  // The first answer was streamed to the caller: it is void now, and the repair's text replaces it.
  if (first.text.length > 0) request.onEvent?.({ type: 'restart', reason: `the ${schemaName} was not usable (${firstCheck.problem.slice(0, 200)}); asking again` });
  const repairRequest: RouteRequest = { ...base, only: first.target, messages: repairMessages(request.messages, first, firstCheck, schemaName, base) };
  const [repair, secondCheck] = await usableOrAskedAgain(chat, repairRequest, (result) => check(schema, result, base), schemaName, request.onEvent);
  if (secondCheck.ok) return { value: secondCheck.value as z.output<T>, result: repair, repaired: true };
  const target = `${repair.target.providerId}/${repair.target.model}`;
  if (secondCheck.cause === 'cut-off' || secondCheck.cause === 'too-long') {
    throw new AppError(
      'INVALID_OUTPUT',
      `${target} could not give a complete ${schemaName} (twice, after one repair): ${secondCheck.problem}. Ask for less (a smaller spec, fewer items), or choose a model with a larger context window or output limit.`,
    );
  }
  throw new AppError('INVALID_OUTPUT', `${target} gave an invalid ${schemaName} twice (after one repair): ${secondCheck.problem}`);
}

/**
 * One call's answer and its check. An unusable answer from the response cache (one kept before
 * answers were checked against their schema when kept, or one a changed check no longer takes while
 * the JSON Schema, and so the key, stayed the same) is not used: the model is asked again,
 * bypassing the cache, and its new answer replaces the one kept, so a failure is never replayed
 * from the cache to every later identical call.
 */
async function usableOrAskedAgain(chat: Chat, request: RouteRequest, checked: (result: RouteResult) => Check, schemaName: string, onEvent: RouteRequest['onEvent']): Promise<[RouteResult, Check]> {
  const result = await chat(request);
  const verdict = checked(result);
  if (verdict.ok || result.attempts.at(-1)?.cacheHit !== true) return [result, verdict];
  if (result.text.length > 0) onEvent?.({ type: 'restart', reason: `the kept ${schemaName} was not usable (${verdict.problem.slice(0, 200)}); asking the model` });
  const fresh = await chat({ ...request, cache: 'bypass' });
  return [fresh, checked(fresh)];
}

export function toProviderSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _ignored, ...jsonSchema } = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'output' }) as Record<string, unknown>;
  return jsonSchema;
}

/** A valid answer is used whatever its finish reason; otherwise a cut-off or stopped answer is reported as such. */
function check(schema: z.ZodType, result: RouteResult, request: RouteRequest): Check {
  const validated = validate(schema, result.text);
  if (validated.ok) return validated;
  switch (result.finishReason) {
    case 'length':
      return {
        ok: false,
        cause: 'cut-off',
        problem: `the answer was cut off after ${result.outputTokens} tokens (the limit${request.maxTokens !== undefined ? ` is ${request.maxTokens}` : ''}) before its JSON was complete`,
      };
    case 'too-long':
      return { ok: false, cause: 'too-long', problem: `the answer was longer than ${request.maxChars ?? result.text.length} characters (the most it may have) and was stopped there` };
    case 'error':
      return { ok: false, cause: 'stopped', problem: 'the provider stopped the answer before it was complete (a refusal or content filter)' };
    case 'stop':
    case 'cancelled':
      return { ...validated, cause: 'invalid' };
    default:
      return result.finishReason satisfies never;
  }
}

/**
 * The repair conversation. A cut-off answer is not echoed (it would only fill the window) and the
 * model is asked for a shorter one; an invalid answer is echoed as far as it fits the target's
 * window next to the original prompt and the answer's token allowance.
 */
function repairMessages(messages: ChatMessage[], first: RouteResult, failed: Extract<Check, { ok: false }>, schemaName: string, request: RouteRequest): ChatMessage[] {
  const again = `Answer again with only a JSON value that matches the schema "${schemaName}". No prose, no code fences.`;
  if (failed.cause !== 'invalid') {
    return [
      ...messages,
      {
        role: 'user',
        content: `Your previous answer was unusable: ${failed.problem}. It is not repeated here. ${again} Keep it shorter: fewer entries and shorter texts, leaving out nothing the schema requires.`,
      },
    ];
  }
  const instruction = (shown: string): string => `Your answer was not valid: ${failed.problem}${shown}\n${again}`;
  const tokens = first.tokens;
  let echo = first.text.slice(0, maxEchoChars);
  if (tokens !== undefined) {
    const used = [...messages, { content: instruction(' (your answer is shown only in part: its first 0000000000 of 0000000000 characters)') }].reduce(
      (sum, message) => sum + tokens.count(message.content) + perMessageTokens,
      perMessageTokens + (request.maxTokens ?? 0),
    );
    echo = fitToTokens(echo, tokens.contextLength - used, tokens.count);
  }
  if (echo === '') return [...messages, { role: 'user', content: instruction(` (your answer, ${first.text.length} characters, is too long to repeat here)`) }];
  const shown = echo.length < first.text.length ? ` (your answer is shown only in part: its first ${echo.length} of ${first.text.length} characters)` : '';
  return [...messages, { role: 'assistant', content: echo }, { role: 'user', content: instruction(shown) }];
}

function validate(schema: z.ZodType, text: string): { ok: true; value: unknown } | { ok: false; problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(stripFences(text));
  } catch (error) {
    return { ok: false, problem: `it is not JSON (${error instanceof Error ? error.message.slice(0, 200) : String(error)})` };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    problem: parsed.error.issues
      .slice(0, 8)
      .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`)
      .join('; '),
  };
}

/** Models sometimes wrap JSON in a Markdown fence even when told not to. */
function stripFences(text: string): string {
  const trimmed = text.trim();
  const fenced = /^```(?:json)?\s*\n([\s\S]*?)\n```$/.exec(trimmed);
  return fenced?.[1] ?? trimmed;
}
