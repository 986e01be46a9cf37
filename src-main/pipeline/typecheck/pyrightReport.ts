import { z } from 'zod';

const position = z.object({ line: z.number().int().min(0), character: z.number().int().min(0) });

/** pyright's `--outputjson` report, the parts we read. */
export const pyrightReport = z.object({
  generalDiagnostics: z.array(
    z.object({
      file: z.string(),
      severity: z.enum(['error', 'warning', 'information']),
      message: z.string(),
      range: z.object({ start: position, end: position }).optional(),
      rule: z.string().optional(),
    }),
  ),
  summary: z.object({ filesAnalyzed: z.number(), errorCount: z.number() }),
});

export type PyrightReport = z.infer<typeof pyrightReport>;
export type PyrightDiagnostic = PyrightReport['generalDiagnostics'][number];
