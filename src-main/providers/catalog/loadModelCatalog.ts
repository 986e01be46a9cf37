import { readFile } from 'node:fs/promises';
import { AppError } from '../../../src-shared/AppError.ts';
import { modelCatalogSchema, type ModelCatalog } from '../../../src-shared/domain/modelCatalog.ts';

/**
 * Reads and checks the shipped catalogue (resources/models/catalog.json). A file that is missing
 * or does not match the schema is the app's own fault: INTERNAL, naming the file and the problem.
 */
export async function loadModelCatalog(path: string): Promise<ModelCatalog> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new AppError('INTERNAL', `The model catalogue ${path} could not be read: ${(error as Error).message}`, { cause: error });
  }
  const parsed = modelCatalogSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError('INTERNAL', `The model catalogue ${path} is not valid: ${issue === undefined ? 'unknown problem' : `${issue.path.join('.')}: ${issue.message}`}`);
  }
  const ids = new Set<string>();
  for (const model of parsed.data.models) {
    for (const file of model.files) {
      const id = `${model.id}:${file.quantization}`;
      if (ids.has(id)) throw new AppError('INTERNAL', `The model catalogue ${path} lists ${id} twice`);
      ids.add(id);
    }
  }
  return parsed.data;
}
