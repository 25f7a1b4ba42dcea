/**
 * CSV as spreadsheets write it (RFC 4180: comma-separated, fields in double quotes may hold commas, quotes
 * doubled, and line breaks), with an optional UTF-8 byte-order mark (Excel adds one) and CRLF or LF lines.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (quoted) {
      if (c === '"' && input[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && input[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  // Blank lines (e.g. a trailing one) carry no citizen.
  return rows.filter((r) => r.some((cell) => cell.trim() !== ''));
}

/**
 * One CSV line. A cell starting with = + - @ (or a tab/CR) is prefixed with a quote mark: spreadsheets would
 * otherwise run it as a formula (CSV injection).
 */
export function csvLine(cells: readonly unknown[]): string {
  return cells
    .map((value) => {
      let cell = value === undefined || value === null ? '' : String(value);
      if (/^[=+\-@\t\r]/.test(cell)) cell = `'${cell}`;
      return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
    })
    .join(',');
}

/** A whole CSV file (with a BOM so spreadsheet programs read UTF-8 Chinese correctly). */
export function toCsv(rows: readonly (readonly unknown[])[]): string {
  return '\ufeff' + rows.map(csvLine).join('\r\n') + '\r\n';
}
