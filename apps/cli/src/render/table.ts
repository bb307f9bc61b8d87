import { visibleLength } from './color.js';

/**
 * Columns padded to the widest cell, three spaces apart, as docker and compose print them. Each cell's
 * width is measured once and the text built in one string (`ps` of 200 rows: no array per line).
 */
export function table(header: string[], rows: string[][]): string {
  const columns = header.length;
  const lengths = new Array<number>((rows.length + 1) * columns);
  const widths = new Array<number>(columns);
  for (let i = 0; i < columns; i++) {
    const n = (header[i] as string).length;
    lengths[i] = n;
    widths[i] = n;
  }
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as string[];
    for (let i = 0; i < columns; i++) {
      const n = visibleLength(row[i] ?? '');
      lengths[(r + 1) * columns + i] = n;
      if (n > (widths[i] as number)) widths[i] = n;
    }
  }
  let out = '';
  for (let r = 0; r <= rows.length; r++) {
    const cells = r === 0 ? header : (rows[r - 1] as string[]);
    let line = '';
    for (let i = 0; i < cells.length; i++) {
      const cell = cells[i] as string;
      if (i > 0) line += '   ';
      line += cell;
      if (i < cells.length - 1) {
        line += ' '.repeat(
          (widths[i] ?? 0) - (i < columns ? (lengths[r * columns + i] as number) : visibleLength(cell)),
        );
      }
    }
    out += r === 0 ? line.trimEnd() : `\n${line.trimEnd()}`;
  }
  return out;
}

/** `2 minutes ago`, like docker's CREATED column; the input as-is when it is not a date. */
export function ago(iso: string, now: number): string {
  const t = /^\d+$/.test(iso) ? Number(iso) * 1000 : Date.parse(iso);
  if (!Number.isFinite(t)) return iso;
  const s = Math.max(0, Math.round((now - t) / 1000));
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'} ago`;
  if (s < 60) return s <= 1 ? 'Less than a second ago' : unit(s, 'second');
  if (s < 3600) return unit(Math.floor(s / 60), 'minute');
  if (s < 86400) return unit(Math.floor(s / 3600), 'hour');
  return unit(Math.floor(s / 86400), 'day');
}
