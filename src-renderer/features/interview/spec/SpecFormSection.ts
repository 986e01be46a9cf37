import type { SpecForm } from './specForm.ts';

/** What every group of spec fields receives: the form and a way to change part of it. */
export interface SpecFormSectionProps {
  form: SpecForm;
  change: (patch: Partial<SpecForm>) => void;
}
