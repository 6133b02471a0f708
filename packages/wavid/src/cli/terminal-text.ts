/**
 * Characters a terminal acts on instead of showing: C0 and C1 controls (escape sequences can move the
 * cursor, clear the screen or retitle the window), DEL, line and paragraph separators, and the Unicode
 * direction marks and overrides that make a name read backwards.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

/**
 * Text from outside (file names, provider answers, error messages) made safe to print: every character
 * a terminal would act on is shown as an escape (`\x1b`, `\u202e`), everything else as it is. Pure; JSON
 * output does not need it, JSON.stringify escapes the same characters.
 */
export function terminalText(text: string): string {
  return text.replace(UNSAFE, (char) => {
    const code = char.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
