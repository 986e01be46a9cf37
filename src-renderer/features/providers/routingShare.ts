/**
 * A target's share of a task's calls under the `weighted` strategy, in words: "75 % of the
 * calls", "only when the others fail" for a standby (weight 0) beside weighted targets, and, when
 * every weight is 0, that the calls go in the list's order (no target has a share, so none is a
 * standby for the others). A missing weight counts as 1, as the router counts it. A target the
 * router passes over (`passedOver`: its provider removed, disabled, or cloud in Local only) has
 * no share, and the others share its calls.
 */
export function routingShare(targets: readonly { weight?: number | undefined; passedOver?: boolean | undefined }[], index: number): string {
  if (targets[index]?.passedOver) return 'no share: passed over';
  const total = targets.reduce((sum, target) => sum + (target.passedOver ? 0 : (target.weight ?? 1)), 0);
  if (total <= 0) return 'every weight is 0: tried in list order';
  const weight = targets[index]?.weight ?? 1;
  if (weight === 0) return 'only when the others fail';
  return `${Math.round((weight / total) * 100)} % of the calls`;
}
