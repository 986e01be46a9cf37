import { z } from 'zod';

export const fileKinds = ['source', 'test', 'config', 'doc'] as const;
export type FileKind = (typeof fileKinds)[number];

/** Languages a planned file can have; each has a validator (syntax, formatting) or is plain text. */
export const fileLanguages = ['python', 'typescript', 'javascript', 'json', 'yaml', 'toml', 'dockerfile', 'bash', 'markdown', 'ini', 'sql', 'text'] as const;
export type FileLanguage = (typeof fileLanguages)[number];

export const maxPlanFiles = 60;
/** The largest generated file, in characters. */
export const maxFileChars = 200_000;
/**
 * The most characters of one file answer that are read and stored: the largest file plus room
 * for a code fence and a line of chatter. The router stops a longer answer there.
 */
export const maxFileAnswerChars = maxFileChars + 2_000;

export const planFileSchema = z
  .object({
    path: z.string().min(1).max(200),
    purpose: z.string().trim().min(1).max(1000),
    language: z.enum(fileLanguages),
    kind: z.enum(fileKinds),
    /** Paths of plan files this one uses (imports, reads, tests). */
    dependsOn: z.array(z.string().max(200)).max(30),
    /**
     * Contract-first: the file's public interface as data (exported functions/classes with
     * signatures, HTTP endpoints with their shapes), one entry each. Files that depend on it are
     * written against this, and validation checks the file defines it. Entries stay free text
     * (older plans parse unchanged); the checks read: `def f(a: int) -> R`, `Class.method(...)`,
     * a model's fields (`class Rule(BaseModel): id: int, action: str`), and an endpoint's
     * method, full path and optional success status (`POST /rules -> 201 RuleOut`).
     */
    exports: z.array(z.string().trim().min(1).max(300)).max(40),
  })
  .strict();
export type PlanFile = z.infer<typeof planFileSchema>;

export const planSchema = z
  .object({
    // The count in the message: a runaway answer is reported as what it is ("lists 5000 files"), not as a size problem.
    files: z
      .array(planFileSchema)
      .min(1, 'a plan has at least one file')
      .max(maxPlanFiles, { error: (issue) => `the plan lists ${Array.isArray(issue.input) ? issue.input.length : 'more'} files; at most ${maxPlanFiles}` }),
    /** Shell command that installs the project's dependencies (run in the sandbox when policy allows). */
    install: z.string().trim().max(500),
    /** Shell command that runs the project's tests. */
    test: z.string().trim().min(1).max(500),
  })
  .strict();
export type Plan = z.infer<typeof planSchema>;
