import { useEffect } from 'react';
import { ConnectionBanner } from '../features/connection/ConnectionBanner.tsx';
import { Navigation } from '../features/navigation/Navigation.tsx';
import { AppHeader } from './AppHeader.tsx';
import { connectToCore } from './connectToCore.ts';
import { CurrentView } from './CurrentView.tsx';
import { reloadAll } from './reloadAll.ts';
import './app.css';

/** The window: header, connection banner, navigation on the left and the chosen view. */
export function App() {
  useEffect(() => connectToCore(), []);
  return (
    <div className="app">
      <AppHeader />
      <ConnectionBanner onRetry={reloadAll} />
      <div className="app-body">
        <Navigation />
        <main className="app-main">
          <CurrentView />
        </main>
      </div>
    </div>
  );
}
