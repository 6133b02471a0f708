import { expect, it } from 'vitest';
import { terminalText } from './terminal-text.js';

it('shows terminal controls, C1 controls and direction overrides as escapes, and leaves other text alone', () => {
  expect(terminalText('a\u001b]0;owned\u0007b.mp4')).toBe('a\\x1b]0;owned\\x07b.mp4');
  expect(terminalText('clear\u001b[2J\r\n')).toBe('clear\\x1b[2J\\x0d\\x0a');
  expect(terminalText('\u009b31m')).toBe('\\x9b31m');
  expect(terminalText('invoice\u202Egnp.mp4')).toBe('invoice\\u202egnp.mp4');
  expect(terminalText('Café 視頻 🎬 tab-free.mp4')).toBe('Café 視頻 🎬 tab-free.mp4');
});
