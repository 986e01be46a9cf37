import { Fragment, useId, useState } from 'react';
import type { TestCase } from '../../../src-shared/sandbox/sandboxTypes.ts';
import { StatusBadge } from '../pipeline/StatusBadge.tsx';
import { caseStatusLabels, durationText } from './testLabels.ts';

/** Every test case of the report: name, status, time and message; a failure's details (traceback) open below its row, as text. */
export function TestCaseTable({ cases }: { cases: readonly TestCase[] }) {
  const baseId = useId();
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());
  const toggle = (index: number) =>
    setOpen((current) => {
      const next = new Set(current);
      if (!next.delete(index)) next.add(index);
      return next;
    });

  return (
    <div className="table-scroll">
      <table className="data-table tests-case-table" data-testid="test-cases">
        <thead>
          <tr>
            <th scope="col">Test</th>
            <th scope="col">Status</th>
            <th scope="col" className="numeric">
              Time
            </th>
            <th scope="col">Message</th>
          </tr>
        </thead>
        <tbody>
          {cases.map((testCase, index) => {
            const detailsId = `${baseId}-details-${index}`;
            const expanded = open.has(index);
            return (
              <Fragment key={`${testCase.name}-${index}`}>
                <tr data-testid="test-case" data-status={testCase.status} data-name={testCase.name}>
                  <td className="tests-case-name">
                    <code>{testCase.name}</code>
                  </td>
                  <td>
                    <StatusBadge status={testCase.status} label={caseStatusLabels[testCase.status]} />
                  </td>
                  <td className="numeric">{durationText(testCase.durationMs)}</td>
                  <td className="tests-case-message">
                    <span data-testid="test-case-message">{testCase.message ?? ''}</span>
                    {testCase.details ? (
                      <button
                        type="button"
                        className="button button-quiet tests-case-toggle"
                        data-testid="test-case-toggle"
                        aria-expanded={expanded}
                        aria-controls={detailsId}
                        onClick={() => toggle(index)}
                      >
                        {expanded ? 'Hide details' : 'Details'}
                      </button>
                    ) : null}
                  </td>
                </tr>
                {testCase.details ? (
                  <tr className="tests-case-details-row" hidden={!expanded}>
                    <td colSpan={4}>
                      <pre className="tests-case-details" id={detailsId} data-testid="test-case-details" tabIndex={0}>
                        {testCase.details}
                      </pre>
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
