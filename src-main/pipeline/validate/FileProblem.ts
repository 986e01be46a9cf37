/**
 * One thing wrong with one generated file. The pipeline turns these into fix prompts, so
 * `message` names the actual values ("line 3, column 5: expected ':' after 'def f()'") and
 * `line`/`column` (1-based) point at the spot when there is one.
 */
export interface FileProblem {
  path: string;
  /**
   * `syntax`: the file does not parse; `format`: the formatter failed for another reason;
   * `import`: a Python import resolves to nothing; `interface`: the file does not define what the
   * plan promised; `empty`: no content at all.
   */
  rule: 'syntax' | 'format' | 'import' | 'interface' | 'empty';
  line?: number;
  column?: number;
  message: string;
}
