import { Component, type ErrorInfo, type ReactNode } from 'react';
import { errorText } from '../ui/errorText.ts';

export interface ErrorBoundaryProps {
  children: ReactNode;
}

interface ErrorBoundaryState {
  error: unknown;
  failed: boolean;
}

/** Shows what broke instead of a blank window when rendering throws. */
export class ErrorBoundary extends Component<ErrorBoundaryProps, ErrorBoundaryState> {
  override state: ErrorBoundaryState = { error: undefined, failed: false };

  static getDerivedStateFromError(error: unknown): ErrorBoundaryState {
    return { error, failed: true };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error('Service Creator UI crashed', error, info.componentStack);
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <div className="crash" role="alert" data-testid="crash">
        <h1 className="crash-title">Something went wrong in the Service Creator window</h1>
        <pre className="crash-message">{errorText(this.state.error)}</pre>
        <p>Your projects are stored by the core and are not affected. Reloading the window usually helps.</p>
        <button type="button" className="button button-primary" onClick={() => {
            window.location.reload();
          }}>
          Reload window
        </button>
      </div>
    );
  }
}
