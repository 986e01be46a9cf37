import { z } from 'zod';

export const projectNameSchema = z
  .string()
  .trim()
  .min(1, 'A project name cannot be empty')
  .max(100, 'A project name can have at most 100 characters')
  .refine((name) => !/[\u0000-\u001f\u007f]/.test(name), 'A project name cannot contain control characters');

export const projectIdSchema = z.uuid({ message: 'A project id is a UUID' });

export const projectSchema = z.object({
  id: projectIdSchema,
  name: z.string(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Project = z.infer<typeof projectSchema>;
