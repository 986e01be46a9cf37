/**
 * The open shadow root of `host`, made on first use. CodeMirror mounts its styles as `<style>`
 * tags in a document, which our Content-Security-Policy (`style-src 'self'`, no inline styles)
 * blocks; inside a shadow root it uses a constructed stylesheet (adoptedStyleSheets), which the
 * policy allows. Colours still come from the page: custom properties inherit into the shadow tree.
 * See https://github.com/marijnh/style-mod (StyleSet: adopted sheets for roots without a head).
 */
export function shadowRootOf(host: HTMLElement): ShadowRoot {
  return host.shadowRoot ?? host.attachShadow({ mode: 'open' });
}
