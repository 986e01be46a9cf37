import { create } from 'zustand';

export interface ProviderFormState {
  /** Which form is open: none, the add form, or the edit form of one provider (by id). */
  open: null | { kind: 'add' } | { kind: 'edit'; id: string };
  /** Bumped on every open, so opening again starts from a fresh form. */
  session: number;
  openAdd: () => void;
  openEdit: (id: string) => void;
  close: () => void;
}

/** One provider form at a time. */
export const useProviderFormStore = create<ProviderFormState>()((set) => ({
  open: null,
  session: 0,
  openAdd: () => {
    set((state) => ({ open: { kind: 'add' }, session: state.session + 1 }));
  },
  openEdit: (id) => {
    set((state) => ({ open: { kind: 'edit', id }, session: state.session + 1 }));
  },
  close: () => {
    set({ open: null });
  },
}));
