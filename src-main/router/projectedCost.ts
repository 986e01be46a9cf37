import type { ProviderConfig } from '../../src-shared/domain/provider.ts';
import type { Pricing, RouteRequest } from '../modelCall/modelCallTypes.ts';

/**
 * The answer cap of a call that names none when a budget counts it: the router sends it (so the
 * reservation bounds what the answer can cost) and the projection counts it. A call without a
 * cap of its own may be refused where a smaller capped one would fit.
 */
export const uncappedAnswerTokens = 4096;

/** Tokens a chat template may add around each message (role markers, separators), and once for the reply's start. */
const templateTokensPerMessage = 8;

/**
 * The most tokens a prompt can take on any cloud model: a token of a byte-level tokenizer (the
 * BPE of OpenAI, Anthropic and most others, SentencePiece with byte fallback) holds at least one
 * byte of UTF-8, so the bytes bound the count, plus what the template adds; a schema sent for
 * structured output counts too. Much more than the usual count (about 4 bytes a token in English,
 * fewer for code or other scripts): a budget reserves this and settles at the real count, so a
 * prompt of code or CJK can never cost more than was reserved (the 4-characters estimate let
 * calls under a budget overspend it).
 */
export function promptTokenBound(request: Pick<RouteRequest, 'messages' | 'schema'>): number {
  let tokens = templateTokensPerMessage;
  for (const message of request.messages) tokens += Buffer.byteLength(message.content, 'utf8') + templateTokensPerMessage;
  if (request.schema) tokens += Buffer.byteLength(JSON.stringify(request.schema.jsonSchema), 'utf8') + Buffer.byteLength(request.schema.name, 'utf8');
  return tokens;
}

/**
 * The most a call can cost on a target, before it is sent: the prompt's bound (promptTokenBound)
 * and the answer's cap at the model's price. A local target costs 0; undefined when no price is known.
 */
export function projectedCost(config: ProviderConfig, price: Pricing | undefined, request: Pick<RouteRequest, 'messages' | 'schema' | 'maxTokens'>): number | undefined {
  if (config.location === 'local') return 0;
  if (!price) return undefined;
  return (promptTokenBound(request) * price.inputPerMillion + (request.maxTokens ?? uncappedAnswerTokens) * price.outputPerMillion) / 1_000_000;
}
