import { useNavigationStore } from './navigationStore.ts';
import { views } from './views.ts';

/** The left navigation: one button per view, the current one marked with aria-current. */
export function Navigation() {
  const current = useNavigationStore((state) => state.view);
  const show = useNavigationStore((state) => state.show);
  return (
    <nav className="navigation" aria-label="Main">
      <ul className="navigation-list">
        {views.map((view) => (
          <li key={view.id}>
            <button
              type="button"
              className="navigation-button"
              data-testid={`nav-${view.id}`}
              aria-current={view.id === current ? 'page' : undefined}
              onClick={() => {
                show(view.id);
              }}
            >
              {view.label}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
