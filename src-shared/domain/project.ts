import { z } from 'zod';

/** The longest project name, shown next to the name field before anything is sent. */
export const maxProjectNameLength = 100;

export const projectNameSchema = z
  .string()
  .trim()
  .min(1, 'A project name cannot be empty')
  .max(maxProjectNameLength, `A project name can have at most ${maxProjectNameLength} characters`)
  .refine((name) => !/[\u0000-\u001f\u007f]/.test(name), 'A project name cannot contain control characters');

export const projectIdSchema = z.uuid({ message: 'A project id is a UUID' });

export const projectSchema = z.object({
  id: projectIdSchema,
  name: z.string(),
  /** Kept on this machine: none of its model calls goes to a cloud provider, whatever the privacy mode. */
  localOnly: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Project = z.infer<typeof projectSchema>;
