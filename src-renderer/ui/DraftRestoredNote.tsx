/** The quiet line under a field whose text came back from an earlier visit, with a way to drop it. */
export function DraftRestoredNote({ onDiscard }: { onDiscard: () => void }) {
  return (
    <p className="draft-note" role="status" data-testid="draft-restored">
      Draft restored.{' '}
      <button type="button" className="link-button" data-testid="draft-discard" onClick={onDiscard}>
        Discard it
      </button>
    </p>
  );
}
