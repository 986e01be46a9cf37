import { z } from 'zod';
import { AppError } from '../../src-shared/AppError.ts';
import type { JsonSchema } from '../providers/LlmProvider.ts';
import type { RouteRequest, RouteResult } from './Router.ts';

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
 * A structured answer: the JSON Schema of `schema` goes to the provider (each maps it natively),
 * the answer is parsed and validated with zod here whatever the provider promised, and an invalid
 * answer gets exactly one repair attempt on the same target, told the exact validation errors.
 * Still invalid: a typed INVALID_OUTPUT error naming the problems.
 */
export async function chatStructured<T extends z.ZodType>(chat: Chat, request: StructuredRequest<T>): Promise<StructuredResult<z.output<T>>> {
  const jsonSchema = toProviderSchema(request.schema);
  const { schema, schemaName, ...rest } = request;
  const first = await chat({ ...rest, schema: { name: schemaName, jsonSchema } });
  const firstCheck = validate(schema, first.text);
  if (firstCheck.ok) return { value: firstCheck.value as z.output<T>, result: first, repaired: false };

  const repair = await chat({
    ...rest,
    only: first.target,
    schema: { name: schemaName, jsonSchema },
    messages: [
      ...request.messages,
      { role: 'assistant', content: first.text.slice(0, 20_000) },
      {
        role: 'user',
        content: `Your answer was not valid: ${firstCheck.problem}\nAnswer again with only a JSON value that matches the schema "${schemaName}". No prose, no code fences.`,
      },
    ],
  });
  const secondCheck = validate(schema, repair.text);
  if (secondCheck.ok) return { value: secondCheck.value as z.output<T>, result: repair, repaired: true };
  throw new AppError(
    'INVALID_OUTPUT',
    `${repair.target.providerId}/${repair.target.model} gave an invalid ${schemaName} twice (after one repair): ${secondCheck.problem}`,
  );
}

export function toProviderSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _ignored, ...jsonSchema } = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'output' }) as Record<string, unknown>;
  return jsonSchema;
}

function validate(schema: z.ZodType, text: string): { ok: true; value: unknown } | { ok: false; problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(stripFences(text));
  } catch (error) {
    return { ok: false, problem: `it is not JSON (${error instanceof Error ? error.message : String(error)})` };
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
