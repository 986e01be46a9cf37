/** Says that the spec changed under unsaved edits, and offers to show the new version. */
export function OutdatedNotice({ onDiscard }: { onDiscard: () => void }) {
  return (
    <div className="notice spec-outdated" role="status" data-testid="spec-outdated">
      <span>The spec changed while you were editing. Saving keeps your version.</span>
      <button type="button" className="button" onClick={onDiscard}>
        Show the new version
      </button>
    </div>
  );
}
