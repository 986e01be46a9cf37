/** A JSON Schema object. */
type JsonSchema = Record<string, unknown>;

/** Keywords whose text is words or values a person wrote (descriptions, allowed and example values), not structure. */
const textKeywords = new Set(['title', 'description', 'const', 'default', 'enum', 'examples']);

/** Keywords whose value maps names (of properties, of definitions) to schemas: a name there is never a keyword. */
const nameMaps = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);

/**
 * A JSON Schema with every text a person wrote into it (titles, descriptions, and the strings of
 * `const`, `default`, `enum` and `examples`) passed through `map`, at any depth; property names,
 * `required`, types, patterns and formats are structure and stay as they are. The privacy guard
 * uses it on a structured call's schema, which leaves the machine beside the messages.
 */
export function mapSchemaTexts(schema: JsonSchema, map: (text: string) => string): JsonSchema {
  return walk(schema, 'schema', map) as JsonSchema;
}

/** What a node is: a schema (its keys are keywords), a map of names to schemas, or a value whose strings are text. */
type Place = 'schema' | 'names' | 'text';

function walk(node: unknown, place: Place, map: (text: string) => string): unknown {
  if (typeof node === 'string') return place === 'text' ? map(node) : node;
  if (Array.isArray(node)) return node.map((item) => walk(item, place, map));
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] = walk(value, place === 'text' ? 'text' : place === 'names' ? 'schema' : textKeywords.has(key) ? 'text' : nameMaps.has(key) ? 'names' : 'schema', map);
  }
  return out;
}
