import type { Core } from '../../src-main/core/createCore.ts';

export type CoreCall = <T>(channel: Parameters<Core['dispatch']>[0], input?: unknown) => Promise<T>;

/** Calls a channel through the core's dispatcher the way a UI does; a failed envelope throws with its code. */
export function coreCaller(core: Core): CoreCall {
  return async <T>(channel: Parameters<Core['dispatch']>[0], input?: unknown): Promise<T> => {
    const result = await core.dispatch(channel, input as never);
    if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code });
    return result.value as T;
  };
}
