import { useState } from 'react';
import { usageGroupings, type UsageGrouping } from '../../../src-shared/domain/usage.ts';
import { usageSummaryCsv } from '../../../src-shared/usage/usageCsv.ts';
import { downloadText } from '../interview/spec/downloadText.ts';
import { usageRanges, type UsageRange } from './usageRange.ts';
import { fetchSummary, useUsageSummaryStore } from './usageSummaryStore.ts';

const groupingWords: Record<UsageGrouping, string> = { provider: 'By provider', task: 'By task', project: 'By project', model: 'By model', day: 'By day' };

/** The range picker, and the export of the range's summary as a CSV file (the CLI's `usage --csv`). */
export function UsageRangeBar({ disabled }: { disabled: boolean }) {
  const range = useUsageSummaryStore((state) => state.range);
  const since = useUsageSummaryStore((state) => state.since);
  const setRange = useUsageSummaryStore((state) => state.setRange);
  const [by, setBy] = useState<UsageGrouping>('provider');
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<string | null>(null);

  const exportCsv = async () => {
    setExporting(true);
    const result = await fetchSummary(by);
    setExporting(false);
    if (!result.ok) {
      setExportError(result.error.message);
      return;
    }
    setExportError(null);
    downloadText(`usage-by-${by}-since-${since}.csv`, usageSummaryCsv(result.summary), 'text/csv');
  };

  return (
    <div className="usage-range-bar">
      <div className="usage-range" role="group" aria-label="Range" data-testid="usage-range">
        {usageRanges.map((option) => (
          <button
            key={option.id}
            type="button"
            className={`button usage-range-button${option.id === range ? ' usage-range-current' : ''}`}
            aria-pressed={option.id === range}
            data-testid={`usage-range-${option.id}`}
            disabled={disabled}
            onClick={() => void setRange(option.id as UsageRange)}
          >
            {option.label}
          </button>
        ))}
      </div>
      <div className="usage-export">
        <label className="visually-hidden" htmlFor="usage-export-by">
          Export grouped
        </label>
        <select id="usage-export-by" className="select" data-testid="usage-export-by" value={by} disabled={disabled} onChange={(event) => setBy(event.target.value as UsageGrouping)}>
          {usageGroupings.map((grouping) => (
            <option key={grouping} value={grouping}>
              {groupingWords[grouping]}
            </option>
          ))}
        </select>
        <button type="button" className="button" data-testid="usage-export-csv" disabled={disabled || exporting} onClick={() => void exportCsv()}>
          Export CSV
        </button>
      </div>
      {exportError === null ? null : (
        <p className="notice notice-error" role="alert" data-testid="usage-export-error">
          Could not export the usage: {exportError}
        </p>
      )}
    </div>
  );
}
