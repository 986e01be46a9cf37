import { slotById, type SlotId } from '../../../src-shared/interview/interviewSlots.ts';

/** After an edit: which fields it cleared and will ask again. */
export function ClearedNote({ cleared }: { cleared: readonly SlotId[] }) {
  return (
    <p className="turn-cleared" role="status" data-testid="turn-cleared">
      {cleared.length === 0
        ? 'Answer changed. Nothing else needs asking again.'
        : `Changing this re-asks: ${cleared.map((id) => slotById(id).label).join(', ')}`}
    </p>
  );
}
