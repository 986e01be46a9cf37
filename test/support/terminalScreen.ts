/**
 * What a terminal `columns` wide shows after receiving `bytes`: a small model of an xterm for the
 * sequences the CLI may send (printable text with autowrap and the pending-wrap column, CR, LF,
 * tab, cursor up/down/forward/back, column, erase below/line, colours and cursor visibility,
 * which are ignored). Any other control or escape sequence throws, so a test can never pass on
 * bytes a real terminal would act on differently. Scrolled-off lines are kept: the result is the
 * whole history, trailing blanks trimmed.
 */
export function terminalScreen(bytes: Buffer | string, columns: number): string {
  const text = typeof bytes === 'string' ? bytes : bytes.toString('utf8');
  const lines: string[][] = [[]];
  let row = 0;
  let column = 0;
  const line = (index: number): string[] => {
    while (lines.length <= index) lines.push([]);
    return lines[index] as string[];
  };
  let i = 0;
  while (i < text.length) {
    const char = text[i] as string;
    if (char === '\u001b') {
      const csi = /^\u001b\[([?0-9;]*)([A-Za-z])/.exec(text.slice(i, i + 32));
      if (!csi) throw new Error(`unsupported escape sequence at ${i}: ${JSON.stringify(text.slice(i, i + 12))}`);
      const [whole, params = '', command] = csi;
      const n = Number(params.split(';')[0] || '1');
      switch (command) {
        case 'A':
          row = Math.max(0, row - n);
          column = Math.min(column, columns - 1);
          break;
        case 'B':
          row += n;
          column = Math.min(column, columns - 1);
          break;
        case 'C':
          column = Math.min(columns - 1, column + n);
          break;
        case 'D':
          column = Math.max(0, Math.min(column, columns - 1) - n);
          break;
        case 'G':
          column = Math.max(0, Math.min(columns - 1, n - 1));
          break;
        case 'J':
          if (params !== '' && params !== '0') throw new Error(`unsupported erase ESC[${params}J`);
          line(row).length = Math.min(line(row).length, column);
          lines.length = row + 1;
          break;
        case 'K':
          if (params !== '' && params !== '0') throw new Error(`unsupported erase ESC[${params}K`);
          line(row).length = Math.min(line(row).length, column);
          break;
        case 'm':
          break;
        case 'l':
        case 'h':
          if (params !== '?25') throw new Error(`unsupported mode ESC[${params}${command}`);
          break;
        default:
          throw new Error(`unsupported escape sequence ${JSON.stringify(whole)}`);
      }
      i += whole.length;
      continue;
    }
    if (char === '\r') column = 0;
    else if (char === '\n') row += 1;
    else if (char === '\t') column = Math.min(columns - 1, (Math.floor(column / 8) + 1) * 8);
    else if (char < ' ' || char === '\u007f') throw new Error(`unsupported control character ${JSON.stringify(char)} at ${i}`);
    else {
      if (column >= columns) {
        row += 1;
        column = 0;
      }
      const cells = line(row);
      while (cells.length < column) cells.push(' ');
      cells[column] = char;
      column += 1;
    }
    i += 1;
  }
  return lines
    .map((cells) => cells.join('').trimEnd())
    .join('\n')
    .replace(/\n+$/, '');
}
