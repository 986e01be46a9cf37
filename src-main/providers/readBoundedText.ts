/**
 * A response body as text, read up to `maxBytes` (as it arrives, after gzip): past that the
 * connection is closed and `whole` is false. `Response.text()` reads a body to its end, however
 * large, and a server (or a gzip bomb) can make that any size before a length check after it.
 */
export async function readBoundedText(response: Response, maxBytes: number): Promise<{ text: string; whole: boolean }> {
  const reader = response.body?.getReader();
  if (!reader) return { text: '', whole: true };
  const decoder = new TextDecoder();
  let text = '';
  let read = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text: text + decoder.decode(), whole: true };
      const room = maxBytes - read;
      read += value.byteLength;
      if (value.byteLength > room) return { text: text + decoder.decode(value.subarray(0, room)), whole: false };
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
