import { targetSchema } from '../../src-shared/domain/provider.ts';

const modelName = targetSchema.shape.model;

/**
 * The ids of a server's model list that a routing target can name (1 to 200 characters, as
 * targetSchema has them). A longer one, from a server we do not control, is no choice: the router
 * would send it, and then the routing page, which must name the target, fails to say it.
 */
export function routableModelIds(ids: readonly string[]): string[] {
  return ids.filter((id) => modelName.safeParse(id).success);
}
