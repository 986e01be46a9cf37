const controlCharacters = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;
const htmlMarkup =
  /<\s*\/?\s*(script|style|iframe|frame|img|svg|math|object|embed|link|meta|base|a|b|i|u|em|strong|p|div|span|form|input|button|textarea|select|br|hr|h[1-6]|table|tr|td|ul|ol|li|html|head|body)\b[^>]*>|javascript:|\bon[a-z]{3,}\s*=\s*["']|&#x?[0-9a-f]+;/i;
const instructionLike = [
  /\b(ignore|disregard|forget|override)\b[^.!?\n]{0,40}\b(previous|prior|above|earlier|all|your|the)\b[^.!?\n]{0,30}\b(instructions?|prompts?|rules|messages?|directions)\b/i,
  /\b(system|developer)\s+prompt\b/i,
  /\byou are now\b/i,
  /\bnew instructions\b/i,
  /<<<\s*DATA|DATA\s*>>>/,
];

/**
 * Why a piece of model-written text may not be shown or used, or undefined when it is fine.
 * Model output is data: text that carries markup, invisible/control characters or instructions
 * aimed at a model is refused (and repaired once) rather than displayed.
 */
export function findUnsafeText(text: string): string | undefined {
  if (controlCharacters.test(text)) return 'contains control or invisible characters';
  if (htmlMarkup.test(text)) return 'contains HTML or script markup';
  if (instructionLike.some((pattern) => pattern.test(text))) return 'contains instruction-like text aimed at a model';
  return undefined;
}
