import { budgetSentence } from '../../ui/errorText.ts';
import { useNavigationStore } from '../navigation/navigationStore.ts';
import { useInterviewStore } from './interviewStore.ts';

export interface AskErrorNoticeProps {
  code: string;
  message: string;
}

/**
 * Why no question came (the model failed, no provider, a budget with no room, cancelled), with a
 * way to try again and, where the fix is elsewhere, a way there (Providers, Usage).
 */
export function AskErrorNotice({ code, message }: AskErrorNoticeProps) {
  const ask = useInterviewStore((state) => state.ask);
  const show = useNavigationStore((state) => state.show);
  const cancelled = code === 'CANCELLED';
  return (
    <div className={cancelled ? 'notice' : 'notice notice-error'} role={cancelled ? 'status' : 'alert'} data-testid="interview-error" data-code={code}>
      <span>
        <strong>{cancelled ? 'Stopped.' : 'No question this time.'}</strong> <span data-testid="interview-error-message">{code === 'BUDGET_EXCEEDED' ? budgetSentence(message) : message}</span>
      </span>
      <span className="interview-error-actions">
        {code === 'NO_ROUTE' ? (
          <button
            type="button"
            className="button"
            data-testid="interview-open-providers"
            onClick={() => {
              show('providers');
            }}
          >
            Open Providers
          </button>
        ) : null}
        {code === 'BUDGET_EXCEEDED' ? (
          <button
            type="button"
            className="button"
            data-testid="interview-open-usage"
            onClick={() => {
              show('usage');
            }}
          >
            Open Usage
          </button>
        ) : null}
        <button type="button" className="button" data-testid="interview-retry" onClick={() => void ask()}>
          {cancelled ? 'Ask again' : 'Try again'}
        </button>
      </span>
    </div>
  );
}
