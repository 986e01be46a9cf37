/** A field for a whole number of 1 or more (a limit, a timeout), its text handed on as typed: the draft reads it (providerDraft.ts). */
export function WholeNumberInput({ id, value, onChange, max, testId }: { id: string; value: string; onChange: (text: string) => void; max?: number; testId?: string }) {
  return (
    <input
      id={id}
      className="text-input"
      {...(testId ? { 'data-testid': testId } : {})}
      type="number"
      min={1}
      {...(max !== undefined ? { max } : {})}
      step={1}
      inputMode="numeric"
      value={value}
      onChange={(event) => {
        onChange(event.target.value);
      }}
    />
  );
}
