import { readFileSync, statSync } from 'node:fs';
import { AppError } from '../../src-shared/AppError.ts';

export interface InputFileKind {
  /** What the file is meant to be, for messages ("spec file", "plan file"). */
  what: string;
  /** Larger files are refused before reading. */
  maxBytes: number;
  /** The limit as people read it ("1 MB"). */
  limit: string;
}

/** A spec file: the contract takes at most 1,000,000 characters, so up to 4 bytes each. */
export const specFile: InputFileKind = { what: 'spec file', maxBytes: 4_000_000, limit: '1 MB' };
/** A plan file: at most 60 files of bounded fields, far below this. */
export const planFile: InputFileKind = { what: 'plan file', maxBytes: 2_000_000, limit: '2 MB' };

/** Reads a file the user named (a spec, a plan) as UTF-8 text; every error names the file. */
export function readInputFile(file: string, kind: InputFileKind): string {
  try {
    const size = statSync(file).size;
    if (size > kind.maxBytes) throw new AppError('INVALID_INPUT', `${file} is ${size.toLocaleString('en-US')} bytes; a ${kind.what} is at most ${kind.limit}`);
    return readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('INVALID_INPUT', `Cannot read the ${kind.what} ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Parses `text` read from `file` as JSON, naming the file and the parser's reason when it is not. */
export function parseJsonFile(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new AppError('INVALID_INPUT', `${file} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}
