/**
 * The quiet line under a field whose text came back from an earlier visit, with a way to drop it.
 * `saved` says in words what is saved now, beside the draft (a restored draft is otherwise
 * compared with nothing: the fields hold the draft, not the saved value).
 */
export function DraftRestoredNote({ onDiscard, saved }: { onDiscard: () => void; saved?: string | undefined }) {
  return (
    <p className="draft-note" role="status" data-testid="draft-restored">
      Draft restored.{' '}
      {saved === undefined ? null : (
        <>
          <span data-testid="draft-saved-value">{saved}</span>{' '}
        </>
      )}
      <button type="button" className="link-button" data-testid="draft-discard" onClick={onDiscard}>
        Discard it
      </button>
    </p>
  );
}
