import { InvalidArgumentError } from 'commander';
import type { z } from 'zod';

/** A commander argument parser that checks a value with a zod schema: `"x y" is not valid: <the schema's message>`. */
export function schemaOption<T>(schema: z.ZodType<T, string>): (value: string) => T {
  return (value) => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new InvalidArgumentError(`${JSON.stringify(value)}: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`);
    return parsed.data;
  };
}
