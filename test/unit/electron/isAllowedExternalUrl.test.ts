import { describe, expect, it } from 'vitest';
import { allowedExternalHosts, isAllowedExternalUrl } from '../../../src-main/electron/isAllowedExternalUrl.ts';

describe('isAllowedExternalUrl', () => {
  it.each([
    'https://huggingface.co/',
    'https://huggingface.co/TheBloke/some-model-GGUF',
    'https://HuggingFace.co/models?search=gguf#top',
    'https://ollama.com/library',
    'https://docs.docker.com/engine/install/',
    'https://platform.openai.com/api-keys',
    'https://console.anthropic.com/settings/keys',
  ])('opens %s', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(true);
  });

  it.each([
    ['plain http', 'http://huggingface.co/'],
    ['another scheme', 'file:///etc/passwd'],
    ['javascript:', 'javascript:alert(1)'],
    ['a custom handler', 'ms-settings:privacy'],
    ['our own scheme', 'app://renderer/index.html'],
    ['a suffix trick', 'https://huggingface.co.evil.example/'],
    ['a prefix trick', 'https://evilhuggingface.co/'],
    ['a subdomain not on the list', 'https://www.evil.huggingface.co/'],
    ['userinfo', 'https://huggingface.co@evil.example/'],
    ['userinfo with a password', 'https://huggingface.co:pw@evil.example/'],
    ['a user on an allowed host', 'https://user@huggingface.co/'],
    ['a port', 'https://huggingface.co:8443/'],
    ['a trailing dot', 'https://huggingface.co./'],
    ['a Cyrillic look-alike', 'https://huggingfаce.co/'],
    ['a fullwidth look-alike', 'https://ｈuggingface.co/'],
    ['punycode', 'https://xn--huggingfce-0fh.co/'],
    ['a backslash', 'https://evil.example\\@huggingface.co/'],
    ['a tab inside the host', 'https://hugging\tface.co/'],
    ['a newline', 'https://huggingface.co/\nx'],
    ['a space', 'https://huggingface.co/ x'],
    ['an IP address', 'https://127.0.0.1/'],
    ['no host', 'https:///huggingface.co'],
    ['not a URL', 'huggingface.co'],
    ['empty', ''],
    ['too long', `https://huggingface.co/${'a'.repeat(3000)}`],
  ])('refuses %s', (_what, url) => {
    expect(isAllowedExternalUrl(url)).toBe(false);
  });

  it('lists exact lower-case host names only', () => {
    for (const host of allowedExternalHosts) expect(host).toMatch(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/);
  });
});
