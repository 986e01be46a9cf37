import { RepairCard } from './RepairCard.tsx';
import { repairStatusLabels, startedText } from './testLabels.ts';
import { useTestsStore } from './testsStore.ts';

/** This run's repairs: the newest in full, earlier ones folded. */
export function RepairList() {
  const repairs = useTestsStore((state) => state.repairs);
  if (repairs.length === 0) return null;
  const [newest, ...older] = repairs;
  return (
    <section className="tests-repairs" data-testid="repairs" aria-labelledby="tests-repairs-title">
      <h4 className="run-section-title" id="tests-repairs-title">
        Repair
      </h4>
      {newest !== undefined ? <RepairCard repair={newest} /> : null}
      {older.map((repair) => (
        <details key={repair.id} className="repair-older">
          <summary>
            Repair of {startedText(repair.createdAt)}: {repairStatusLabels[repair.status]}
            {repair.note ? ` (${repair.note})` : ''}
          </summary>
          <RepairCard repair={repair} />
        </details>
      ))}
    </section>
  );
}
