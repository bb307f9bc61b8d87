/**
 * A cheap upper estimate of how deeply a YAML text nests, read before the parser runs: `yaml`
 * spends seconds and hundreds of MB on 100,000 nested brackets before it gives up. Counts flow
 * brackets outside quotes and comments, block indentation levels and compact `- - -` sequences.
 * Block scalars can only make it overestimate, which is why callers allow it some slack.
 */
export function estimateNesting(text: string): number {
  let max = 0;
  let flow = 0;
  const indents: number[] = [];
  let quote: '"' | "'" | undefined;
  let lineStart = true;
  let indent = 0;
  let lineDepth = 0;
  // True where a scalar may begin, so that a quote there opens a quoted scalar (`it's` does not).
  let scalarStart = true;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\n') {
      lineStart = true;
      indent = 0;
      scalarStart = true;
      continue;
    }
    if (quote) {
      if (quote === '"' && ch === '\\') i++;
      else if (ch === quote) {
        if (quote === "'" && text[i + 1] === "'") i++;
        else quote = undefined;
      }
      continue;
    }
    if (lineStart) {
      if (ch === ' ') {
        indent++;
        continue;
      }
      lineStart = false;
      if (ch === '#' || ch === '\r') {
        i = skipLine(text, i);
        continue;
      }
      if (flow === 0) {
        while (indents.length > 0 && indents[indents.length - 1]! >= indent) indents.pop();
        indents.push(indent);
      }
      lineDepth = indents.length;
    }
    if (ch === '#' && (text[i - 1] === ' ' || text[i - 1] === '\t')) {
      i = skipLine(text, i);
      continue;
    }
    if ((ch === '"' || ch === "'") && scalarStart) {
      quote = ch;
      continue;
    }
    if (ch === '[' || ch === '{') {
      flow++;
      scalarStart = true;
    } else if (ch === ']' || ch === '}') {
      flow = Math.max(0, flow - 1);
      scalarStart = false;
    } else if (ch === '-' && scalarStart && (text[i + 1] === ' ' || text[i + 1] === '\n')) {
      lineDepth++;
    } else if (ch === ',' || (ch === ':' && (text[i + 1] === ' ' || text[i + 1] === '\n'))) {
      scalarStart = true;
    } else if (ch !== ' ' && ch !== '\t') scalarStart = false;
    max = Math.max(max, lineDepth + flow);
  }
  return max;
}

function skipLine(text: string, i: number): number {
  const nl = text.indexOf('\n', i);
  return nl < 0 ? text.length : nl - 1;
}
