import { targetSchema } from '../../src-shared/domain/provider.ts';
import { holdsKey } from '../secrets/holdsKey.ts';

const modelName = targetSchema.shape.model;

/** Control, zero-width, line-separator and direction-override characters: no model's name has one. */
const unprintable = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/;

/**
 * The ids of a server's model list that a routing target can name (1 to 200 characters, as
 * targetSchema has them, none of them a control or direction character). A longer one, from a
 * server we do not control, is no choice: the router would send it, and then the routing page,
 * which must name the target, fails to say it. One with a control character or a direction
 * override would be shown as a name it is not ("gpt" reading backwards, a line broken in two).
 * One holding a key (the key it was asked with, said back as a name) is no choice either: every
 * attempt, usage report and line printed would carry it, and a route the user sets refuses it.
 */
export function routableModelIds(ids: readonly string[]): string[] {
  return ids.filter((id) => modelName.safeParse(id).success && !unprintable.test(id) && !holdsKey(id));
}
