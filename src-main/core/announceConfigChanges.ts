import type { EventBus } from '../events/EventBus.ts';
import type { Handlers } from './Handlers.ts';

type Announced = 'routing.set' | 'setup.apply' | 'pricing.set' | 'pricing.reset' | 'budgets.set' | 'budgets.clear' | 'budgets.timeZone';

/**
 * The channels that change routing, prices or budgets, announcing each change on the bus once it
 * is stored, as providers and settings are: every other window or tab on this core shows it
 * without a reload (changes by another process are announced by watchExternalChanges).
 * `setup.apply` puts its model first in every task's routing before it asks for a test answer,
 * so its change is announced whether or not that answer came.
 */
export function announceConfigChanges(handlers: Pick<Handlers, Announced>, bus: EventBus): Pick<Handlers, Announced> {
  return {
    'routing.set': async (input) => {
      const view = await handlers['routing.set'](input);
      bus.emit('routing.changed', {});
      return view;
    },
    'setup.apply': async (input) => {
      try {
        return await handlers['setup.apply'](input);
      } finally {
        bus.emit('routing.changed', {});
      }
    },
    'pricing.set': async (input) => {
      const list = await handlers['pricing.set'](input);
      bus.emit('pricing.changed', {});
      return list;
    },
    'pricing.reset': async (input) => {
      const list = await handlers['pricing.reset'](input);
      bus.emit('pricing.changed', {});
      return list;
    },
    'budgets.set': async (input) => {
      const list = await handlers['budgets.set'](input);
      bus.emit('budgets.changed', {});
      return list;
    },
    'budgets.clear': async (input) => {
      const result = await handlers['budgets.clear'](input);
      if (result.cleared) bus.emit('budgets.changed', {});
      return result;
    },
    'budgets.timeZone': async (input) => {
      const result = await handlers['budgets.timeZone'](input);
      if (input.zone !== undefined) bus.emit('budgets.changed', {});
      return result;
    },
  };
}
