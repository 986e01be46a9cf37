import { useState } from 'react';

export interface EditedText {
  /** What the field holds. */
  value: string;
  set: (value: string) => void;
  /**
   * The stored value moved elsewhere (the CLI, another window) while the field was edited, and the
   * field holds something else: the edit is kept, and the page says what is stored now.
   */
  changedElsewhere: boolean;
  /** Runs this page's save: the settings store shows it at once and puts the old value back when the core refuses it, so nothing is followed meanwhile. */
  whileSaving: <T>(save: () => Promise<T>) => Promise<T>;
}

/**
 * A text field over a stored setting. Not edited, it follows the stored value when that changes
 * elsewhere; edited, it keeps what was typed (it used to start afresh from the stored value,
 * and the typing was lost) and says the stored value moved under it. `same` compares a field's
 * text with a stored value (the words, whatever the spacing).
 */
export function useEditedText(stored: string, same: (text: string, stored: string) => boolean = (text, value) => text === value): EditedText {
  const [state, setState] = useState({ value: stored, base: stored });
  const [saving, setSaving] = useState(false);
  let current = state;
  // Adjusted while rendering (not in an effect): the stored value an edit is made against.
  if (!saving && state.base !== stored) {
    if (same(state.value, state.base)) current = { value: stored, base: stored };
    else if (same(state.value, stored)) current = { value: state.value, base: stored };
    if (current !== state) setState(current);
  }
  return {
    value: current.value,
    set: (value) => setState({ value, base: current.base }),
    changedElsewhere: !saving && current.base !== stored && !same(current.value, stored),
    whileSaving: async (save) => {
      setSaving(true);
      try {
        return await save();
      } finally {
        setSaving(false);
      }
    },
  };
}
