import type { GbnfJsonSchema, Llama, LlamaGrammar } from 'node-llama-cpp';
import type { ChatRequest } from '../modelCall/modelCallTypes.ts';
import { ProviderError } from './ProviderError.ts';

/**
 * The llama.cpp grammars of the JSON schemas chats asked for, one per schema (its JSON text),
 * made once and shared by concurrent chats; bounded. A schema the converter rejects is a
 * 'bad-request' and is not remembered (the next chat tries again).
 */
export class LlamaGrammars {
  readonly #providerId: string;
  readonly #llama: () => Promise<Llama>;
  readonly #grammars = new Map<string, Promise<LlamaGrammar>>();

  constructor(providerId: string, llama: () => Promise<Llama>) {
    this.#providerId = providerId;
    this.#llama = llama;
  }

  for(schema: NonNullable<ChatRequest['schema']>): Promise<LlamaGrammar> {
    const key = JSON.stringify(schema.jsonSchema);
    const known = this.#grammars.get(key);
    if (known !== undefined) return known;
    if (this.#grammars.size >= 64) this.#grammars.clear();
    const { $schema: _ignored, ...jsonSchema } = schema.jsonSchema;
    const created = this.#llama()
      .then((binding) => {
        // The schema is only known at run time; the generic signature wants a literal type.
        const createGrammar = binding.createGrammarForJsonSchema.bind(binding) as (schema: GbnfJsonSchema) => Promise<LlamaGrammar>;
        return createGrammar(jsonSchema as GbnfJsonSchema);
      })
      .catch((error: unknown) => {
        this.#grammars.delete(key);
        throw new ProviderError(this.#providerId, 'bad-request', `llama.cpp cannot turn schema "${schema.name}" into a grammar: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      });
    this.#grammars.set(key, created);
    return created;
  }

  clear(): void {
    this.#grammars.clear();
  }
}
