import { useId, useState } from 'react';
import { balanceStrategies, balanceStrategyLabels, type BalanceStrategy } from '../../../src-shared/domain/balanceStrategy.ts';
import { maxModelNameChars, type TaskKind } from '../../../src-shared/domain/provider.ts';
import type { ProviderStatus } from '../../../src-shared/domain/providerStatus.ts';
import type { PrivacyMode } from '../../../src-shared/domain/settings.ts';
import { routingTargetProblem } from '../../../src-shared/domain/routingTargetProblem.ts';
import { FormError } from '../../ui/FormError.tsx';
import { useModelsStore } from './modelsStore.ts';
import { useProvidersStore } from './providersStore.ts';
import { typeInfo } from './providerTypeFields.ts';
import type { ProviderTypeInfo } from '../../../src-shared/domain/providerTypeInfo.ts';
import { useRoutingStore, weightKey } from './routingStore.ts';
import { RoutingWeight } from './RoutingWeight.tsx';
import { routingShare } from './routingShare.ts';
import { isListedTarget } from './isListedTarget.ts';
import { taskLabels } from './taskLabels.ts';
import { RoutingAnswer } from '../setup/RoutingAnswer.tsx';

export interface RoutingTaskProps {
  task: TaskKind;
  privacyMode: PrivacyMode;
}

/**
 * One task kind's targets, with add, remove and move, how its calls are spread over them (the
 * strategy) and, when split by weight, each target's weight. Edits stay in the draft until Save.
 */
export function RoutingTask({ task, privacyMode }: RoutingTaskProps) {
  const targets = useRoutingStore((state) => state.draft[task]);
  const addTarget = useRoutingStore((state) => state.addTarget);
  const removeTarget = useRoutingStore((state) => state.removeTarget);
  const moveTarget = useRoutingStore((state) => state.moveTarget);
  const strategy = useRoutingStore((state) => state.strategies[task]);
  const setStrategy = useRoutingStore((state) => state.setStrategy);
  const setWeight = useRoutingStore((state) => state.setWeight);
  const revision = useRoutingStore((state) => state.revision);
  const strategySelectId = useId();
  const providers = useProvidersStore((state) => state.providers);
  const types = useProvidersStore((state) => state.types);
  const localModels = useModelsStore((state) => state.models);
  const [chosenProvider, setChosenProvider] = useState('');
  const [model, setModel] = useState('');
  const [error, setError] = useState<string | null>(null);
  const headingId = useId();
  const providerSelectId = useId();
  const modelInputId = useId();
  const datalistId = useId();

  const providerId = providers.some((p) => p.config.id === chosenProvider) ? chosenProvider : (providers[0]?.config.id ?? '');
  const provider = providers.find((p) => p.config.id === providerId);
  const suggestions = provider === undefined ? [] : modelsOf(provider, localModels.map((m) => m.id), typeInfo(types, provider.config.type));
  const { label, description } = taskLabels[task];
  // Targets the router passes over (provider removed, disabled, cloud in Local only): said beside them, and no share.
  const configs = providers.map((p) => p.config);
  const problems = targets.map((target) => routingTargetProblem(target, configs, privacyMode));
  const shareTargets = targets.map((target, index) => ({ weight: target.weight, passedOver: problems[index] !== null }));

  const add = () => {
    const chosenModel = model.trim() || suggestions[0] || '';
    if (providerId === '') return;
    if (chosenModel === '') {
      setError('Type the model to use with this provider.');
      return;
    }
    // Said here, by the field: the core's refusal came only on Save, naming no task or target.
    if (chosenModel.length > maxModelNameChars) {
      setError(`A model name has at most ${maxModelNameChars} characters; this one has ${chosenModel.length}.`);
      return;
    }
    if (isListedTarget(targets, { providerId, model: chosenModel })) {
      setError(`${provider?.config.label ?? providerId} · ${chosenModel} is already in the list for ${label}.${strategy === 'weighted' ? ' To give it more of the calls, raise its weight.' : ''}`);
      return;
    }
    addTarget(task, { providerId, model: chosenModel });
    setModel('');
    setError(null);
  };

  return (
    <div className="routing-task" data-testid="routing-task" data-task={task} role="group" aria-labelledby={headingId}>
      <div className="routing-task-head">
        <span className="routing-task-name" id={headingId}>
          {label}
        </span>
        <span className="routing-task-description">{description}</span>
      </div>
      <RoutingAnswer task={task} />
      {targets.length === 0 ? (
        <p className="routing-default" data-testid="routing-default">
          Every enabled provider in list order{privacyMode === 'local-first' ? ', local first' : ''}.
        </p>
      ) : (
        <div className="routing-strategy">
          <label htmlFor={strategySelectId}>How calls are spread</label>
          <select
            id={strategySelectId}
            className="select"
            data-testid="routing-strategy"
            value={strategy}
            onChange={(event) => {
              setStrategy(task, event.target.value as BalanceStrategy);
            }}
          >
            {balanceStrategies.map((choice) => (
              <option key={choice} value={choice}>
                {balanceStrategyLabels[choice].label}
              </option>
            ))}
          </select>
          <span className="routing-strategy-description" data-testid="routing-strategy-description">
            {balanceStrategyLabels[strategy].description}
            {strategy === 'ordered' ? '' : ' A target that keeps failing is left out until it recovers.'}
          </span>
        </div>
      )}
      {targets.length === 0 ? null : (
        <ol className="routing-targets">
          {targets.map((target, index) => {
            const known = providers.find((p) => p.config.id === target.providerId);
            const warning = problems[index] ?? null;
            return (
              <li key={`${target.providerId}/${target.model}/${index}`} className="routing-target" data-testid="routing-target">
                <span className="routing-target-text">
                  <span className="routing-target-provider">{known?.config.label ?? target.providerId}</span>
                  {' · '}
                  <code>{target.model}</code>
                  {warning === null ? null : <span className="routing-target-warning"> ({warning})</span>}
                </span>
                {strategy === 'weighted' ? (
                  <RoutingWeight
                    key={`${target.providerId}/${target.model}/${index}/${revision}`}
                    weight={target.weight ?? 1}
                    name={`${known?.config.label ?? target.providerId} ${target.model}`}
                    share={routingShare(shareTargets, index)}
                    onChange={(weight) => {
                      setWeight(task, index, weight);
                    }}
                    problemKey={weightKey(task, target)}
                  />
                ) : null}
                <span className="routing-target-actions">
                  <button
                    type="button"
                    className="button button-quiet button-icon"
                    aria-label={`Move ${target.providerId} ${target.model} up`}
                    disabled={index === 0}
                    onClick={() => {
                      moveTarget(task, index, -1);
                    }}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    className="button button-quiet button-icon"
                    aria-label={`Move ${target.providerId} ${target.model} down`}
                    disabled={index === targets.length - 1}
                    onClick={() => {
                      moveTarget(task, index, 1);
                    }}
                  >
                    ↓
                  </button>
                  <button
                    type="button"
                    className="button button-quiet button-quiet-danger"
                    data-testid="routing-remove"
                    aria-label={`Remove ${target.providerId} ${target.model} from ${label}`}
                    onClick={() => {
                      removeTarget(task, index);
                    }}
                  >
                    Remove
                  </button>
                </span>
              </li>
            );
          })}
        </ol>
      )}
      {providers.length === 0 ? null : (
        <div className="routing-add-row">
          <label className="visually-hidden" htmlFor={providerSelectId}>
            Provider for {label}
          </label>
          <select
            id={providerSelectId}
            className="select"
            data-testid="routing-provider"
            value={providerId}
            onChange={(event) => {
              setChosenProvider(event.target.value);
              setModel('');
              setError(null);
            }}
          >
            {providers.map((p) => (
              <option key={p.config.id} value={p.config.id}>
                {`${p.config.label}${p.config.enabled ? '' : ' (disabled)'}`}
              </option>
            ))}
          </select>
          <label className="visually-hidden" htmlFor={modelInputId}>
            Model for {label}
          </label>
          <input
            id={modelInputId}
            className="text-input"
            data-testid="routing-model"
            list={datalistId}
            value={model}
            placeholder={suggestions[0] ?? 'model'}
            autoComplete="off"
            spellCheck={false}
            onChange={(event) => {
              setModel(event.target.value);
              setError(null);
            }}
            onKeyDown={(event) => {
              if (event.key === 'Enter') {
                event.preventDefault();
                add();
              }
            }}
          />
          <datalist id={datalistId}>
            {suggestions.map((suggestion) => (
              <option key={suggestion} value={suggestion} />
            ))}
          </datalist>
          <button type="button" className="button" data-testid="routing-add" onClick={add}>
            Add
          </button>
        </div>
      )}
      <FormError message={error} />
    </div>
  );
}

function modelsOf(provider: ProviderStatus, localModelIds: string[], info: ProviderTypeInfo | undefined): string[] {
  if (provider.config.models.length > 0) return provider.config.models;
  return info?.localModelFiles ? localModelIds : [];
}
