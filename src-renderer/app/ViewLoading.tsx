/**
 * The content area while a view's code is loading. index.html's shell shows the same markup
 * before the app's script has run, so the swap to React changes nothing on screen.
 */
export function ViewLoading() {
  return (
    <div className="view">
      <p className="muted" role="status">
        Loading…
      </p>
    </div>
  );
}
