export const viewIds = ['projects', 'providers', 'usage', 'settings'] as const;
export type ViewId = (typeof viewIds)[number];

export interface ViewEntry {
  id: ViewId;
  label: string;
}

/** The views in the left navigation, in order. */
export const views: readonly ViewEntry[] = [
  { id: 'projects', label: 'Projects' },
  { id: 'providers', label: 'Providers' },
  { id: 'usage', label: 'Usage' },
  { id: 'settings', label: 'Settings' },
];

export function isViewId(value: unknown): value is ViewId {
  return typeof value === 'string' && (viewIds as readonly string[]).includes(value);
}
