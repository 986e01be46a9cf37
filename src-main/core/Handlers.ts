import type { z } from 'zod';
import type { Channel, ChannelParsedInput, Contract } from '../../src-shared/contract.ts';

/** One function per channel; the map is checked against the contract with `satisfies Handlers`. */
export type Handlers = {
  [C in Channel]: (input: ChannelParsedInput<C>) => z.input<Contract[C]['output']> | Promise<z.input<Contract[C]['output']>>;
};
