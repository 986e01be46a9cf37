import { isContextWindow } from './isContextWindow.ts';
import { readBoundedText } from './readBoundedText.ts';

type HttpFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** A `/props` answer is a few KB (it carries the chat template); more is not llama-server's. */
const maxPropsBytes = 1_000_000;

/**
 * The window a `/models` entry states, by field: vLLM `max_model_len` (what the server enforces),
 * LM Studio and gateways `max_context_length` / `context_length`; llama-server's
 * `meta.n_ctx_train` is the trained length, not the one it runs with (see `propsContextLength`),
 * so it is reported apart.
 */
export function listedContextLength(model: unknown): { enforced?: number; trained?: number } {
  const entry = (model ?? {}) as { max_model_len?: unknown; max_context_length?: unknown; context_length?: unknown; meta?: { n_ctx_train?: unknown } | null };
  const enforced = [entry.max_model_len, entry.context_length, entry.max_context_length].find(isContextWindow);
  const trained = entry.meta?.n_ctx_train;
  return { ...(enforced === undefined ? {} : { enforced }), ...(isContextWindow(trained) ? { trained } : {}) };
}

/**
 * llama-server's running window: `GET /props` at the server's root (the base URL without its
 * `/v1`), `default_generation_settings.n_ctx` (per slot: what one request may use). The key goes
 * only to the base URL's own origin. Undefined when the server has no `/props` or says nothing.
 */
export async function propsContextLength(input: { baseUrl: string; apiKey: string | undefined; fetch: HttpFetch; signal: AbortSignal }): Promise<number | undefined> {
  const base = new URL(input.baseUrl);
  const props = new URL(`${base.pathname.replace(/\/+$/, '').replace(/\/v1$/, '')}/props`, base.origin);
  if (props.origin !== base.origin) return undefined;
  const response = await input.fetch(props, {
    method: 'GET',
    // Never followed: another host would be asked (and believed) about this server's window.
    redirect: 'manual',
    signal: input.signal,
    headers: { accept: 'application/json', ...(input.apiKey ? { authorization: `Bearer ${input.apiKey}` } : {}) },
  });
  if (!response.ok || Number(response.headers.get('content-length') ?? 0) > maxPropsBytes) {
    await response.body?.cancel().catch(() => undefined);
    return undefined;
  }
  const { text, whole } = await readBoundedText(response, maxPropsBytes);
  if (!whole) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const body = (parsed ?? {}) as { default_generation_settings?: { n_ctx?: unknown } | null; n_ctx?: unknown };
  const nCtx = body.default_generation_settings?.n_ctx ?? body.n_ctx;
  return isContextWindow(nCtx) ? nCtx : undefined;
}

