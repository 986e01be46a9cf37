/**
 * A target's circuit as balancing sees it: `healthy` (closed), `probe-due` (open, but its
 * cool-down passed: the next call may probe it), `open` (refusing), `probing` (half-open: one
 * probe is under way and no other call may go there).
 */
export type TargetHealth = 'healthy' | 'probe-due' | 'open' | 'probing';
