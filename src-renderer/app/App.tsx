import { useEffect } from 'react';
import { BudgetWarnings } from '../features/budgets/BudgetWarnings.tsx';
import { ConnectionBanner } from '../features/connection/ConnectionBanner.tsx';
import { canAct, useConnectionStore } from '../features/connection/connectionStore.ts';
import { Navigation } from '../features/navigation/Navigation.tsx';
import { SetupGate } from '../features/setup/SetupGate.tsx';
import { AppHeader } from './AppHeader.tsx';
import { connectToCore } from './connectToCore.ts';
import { CurrentView } from './CurrentView.tsx';
import { reloadAll } from './reloadAll.ts';
import { ShortcutHelp } from './ShortcutHelp.tsx';
import { useShortcuts } from './useShortcuts.ts';
import './app.css';

/**
 * The window: header, connection banner, navigation on the left and the chosen view. While the
 * core cannot be reached, every control of the view is disabled (a disabled fieldset), so no
 * action is taken and silently lost; reading and navigating go on.
 */
export function App() {
  useEffect(() => connectToCore(), []);
  const connected = useConnectionStore(canAct);
  const { helpOpen, closeHelp } = useShortcuts();
  return (
    <div className="app">
      <AppHeader />
      <ConnectionBanner onRetry={reloadAll} />
      <BudgetWarnings />
      <div className="app-body">
        <Navigation />
        <main className="app-main">
          <fieldset className="app-actions" disabled={!connected} data-testid="app-actions">
            <SetupGate>
              <CurrentView />
            </SetupGate>
          </fieldset>
        </main>
      </div>
      {helpOpen ? <ShortcutHelp onClose={closeHelp} /> : null}
    </div>
  );
}
