const escapes: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/**
 * The value of a top-level string property in JSON that is still being streamed, as far as it
 * has arrived ("...explanation": "Because the fire" gives "Because the fire"). Undefined until
 * the property's opening quote has arrived. An escape cut in half is left out until it completes.
 */
export function extractPartialString(json: string, key: string): string | undefined {
  const opening = new RegExp(`"${key}"\\s*:\\s*"`).exec(json);
  if (!opening) return undefined;
  let out = '';
  for (let index = opening.index + opening[0].length; index < json.length; index += 1) {
    const char = json[index] as string;
    if (char === '"') return out;
    if (char !== '\\') {
      out += char;
      continue;
    }
    const next = json[index + 1];
    if (next === undefined) return out;
    if (next === 'u') {
      const hex = json.slice(index + 2, index + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) return out;
      out += String.fromCharCode(Number.parseInt(hex, 16));
      index += 5;
      continue;
    }
    out += escapes[next] ?? next;
    index += 1;
  }
  return out;
}
