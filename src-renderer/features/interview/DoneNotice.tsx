/** The interview has nothing left to ask; says what Generate needs. */
export function DoneNotice({ complete }: { complete: boolean }) {
  return (
    <section className="interview-done" data-testid="interview-done">
      <h3 className="interview-done-title">All questions answered</h3>
      <p className="muted">
        {complete
          ? 'The spec is complete: Generate is enabled in the spec panel. You can still edit any answer or field.'
          : 'The spec still has problems, listed in the spec panel: fix them there to enable Generate.'}
      </p>
    </section>
  );
}
