// One chat through a real adapter, in a process of its own (so its environment and flags are
// the ones the test starts it with): `node oneChatProcess.ts <openai|anthropic|ollama> <baseUrl> [set-proxy-from-env]`.
// Prints one JSON line: { ok: true, text } or { ok: false, kind, message }.
import { createAnthropicProvider } from '../../src-main/providers/anthropicProvider.ts';
import { createOllamaProvider } from '../../src-main/providers/ollamaProvider.ts';
import { createOpenAiProvider } from '../../src-main/providers/openaiProvider.ts';
import { ProviderError } from '../../src-main/providers/ProviderError.ts';

const [type, baseUrl, extra] = process.argv.slice(2);
if (extra === 'set-proxy-from-env') {
  const http = process.getBuiltinModule('node:http') as { setGlobalProxyFromEnv?: () => void };
  http.setGlobalProxyFromEnv?.();
}
const provider =
  type === 'anthropic'
    ? createAnthropicProvider({ id: 'p', baseUrl: baseUrl!, apiKey: 'sk-test' })
    : type === 'ollama'
      ? createOllamaProvider({ id: 'p', baseUrl: baseUrl! })
      : createOpenAiProvider({ id: 'p', baseUrl: baseUrl!, apiKey: 'sk-test' });
let text = '';
try {
  for await (const chunk of provider.chat({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }, AbortSignal.timeout(10_000))) if (chunk.type === 'text') text += chunk.text;
  console.log(JSON.stringify({ ok: true, text }));
} catch (error) {
  console.log(JSON.stringify(error instanceof ProviderError ? { ok: false, kind: error.kind, message: error.message } : { ok: false, message: String(error) }));
}
process.exit(0);
