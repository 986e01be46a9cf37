// Global styles first, so the feature styles imported below come after them in the bundle.
import './styles/theme.css';
import './styles/base.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { ErrorBoundary } from './app/ErrorBoundary.tsx';
import { syncAddress } from './features/navigation/syncAddress.ts';
import { restoreTheme } from './features/theme/restoreTheme.ts';

restoreTheme();
// Before the first render: the address names the page to show (and may carry the bridge token).
syncAddress();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <ErrorBoundary>
      <App />
    </ErrorBoundary>
  </StrictMode>,
);
