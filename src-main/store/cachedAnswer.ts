/** One answer kept by the response cache: what ResponseCacheRepository's `get` hands back on a hit. */
export interface CachedAnswer {
  text: string;
  inputTokens: number;
  outputTokens: number;
}

/** An answer to keep, under its key, for `ttlMs`. */
export interface CachePut extends CachedAnswer {
  key: string;
  providerId: string;
  model: string;
  promptVersion?: string | undefined;
  ttlMs: number;
}
