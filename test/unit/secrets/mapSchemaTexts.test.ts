import { describe, expect, it } from 'vitest';
import { mapSchemaTexts } from '../../../src-main/secrets/mapSchemaTexts.ts';

describe('the texts of a JSON Schema', () => {
  it('maps titles, descriptions and the strings of const, default, enum and examples at any depth; names, types, patterns and required stay', () => {
    const schema = {
      type: 'object',
      title: 'string',
      properties: {
        description: { type: 'string', description: 'string', pattern: '^string$' },
        title: { enum: ['string', 'object'], default: 'string' },
        list: { type: 'array', items: { anyOf: [{ const: 'string' }, { type: 'string', examples: ['string', { nested: 'string' }] }] } },
      },
      $defs: { string: { type: 'string', format: 'string' } },
      required: ['description', 'title', 'list'],
    };
    expect(mapSchemaTexts(schema, (text) => text.toUpperCase())).toEqual({
      type: 'object',
      title: 'STRING',
      properties: {
        description: { type: 'string', description: 'STRING', pattern: '^string$' },
        title: { enum: ['STRING', 'OBJECT'], default: 'STRING' },
        list: { type: 'array', items: { anyOf: [{ const: 'STRING' }, { type: 'string', examples: ['STRING', { nested: 'STRING' }] }] } },
      },
      $defs: { string: { type: 'string', format: 'string' } },
      required: ['description', 'title', 'list'],
    });
  });
});
