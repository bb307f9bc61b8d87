// Character codes: the scan reads codes, not one-character strings (it runs over whole files).
const NL = 10;
const CR = 13;
const TAB = 9;
const SPACE = 32;
const DQUOTE = 34;
const SQUOTE = 39;
const HASH = 35;
const BACKSLASH = 92;
const OPEN_SQ = 91;
const CLOSE_SQ = 93;
const OPEN_CURLY = 123;
const CLOSE_CURLY = 125;
const DASH = 45;
const COMMA = 44;
const COLON = 58;

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
  let quote = 0; // the open quote's code, 0 outside quotes
  let lineStart = true;
  let indent = 0;
  let lineDepth = 0;
  // True where a scalar may begin, so that a quote there opens a quoted scalar (`it's` does not).
  let scalarStart = true;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const ch = text.charCodeAt(i);
    if (ch === NL) {
      lineStart = true;
      indent = 0;
      scalarStart = true;
      continue;
    }
    if (quote !== 0) {
      if (quote === DQUOTE && ch === BACKSLASH) i++;
      else if (ch === quote) {
        if (quote === SQUOTE && text.charCodeAt(i + 1) === SQUOTE) i++;
        else quote = 0;
      }
      continue;
    }
    if (lineStart) {
      if (ch === SPACE) {
        indent++;
        continue;
      }
      lineStart = false;
      if (ch === HASH || ch === CR) {
        i = skipLine(text, i);
        continue;
      }
      if (flow === 0) {
        while (indents.length > 0 && indents[indents.length - 1]! >= indent) indents.pop();
        indents.push(indent);
      }
      lineDepth = indents.length;
    }
    if (ch === HASH) {
      const before = text.charCodeAt(i - 1);
      if (before === SPACE || before === TAB) {
        i = skipLine(text, i);
        continue;
      }
    }
    if ((ch === DQUOTE || ch === SQUOTE) && scalarStart) {
      quote = ch;
      continue;
    }
    if (ch === OPEN_SQ || ch === OPEN_CURLY) {
      flow++;
      scalarStart = true;
    } else if (ch === CLOSE_SQ || ch === CLOSE_CURLY) {
      flow = Math.max(0, flow - 1);
      scalarStart = false;
    } else if (ch === DASH && scalarStart && isSpaceOrNewline(text.charCodeAt(i + 1))) {
      lineDepth++;
    } else if (ch === COMMA || (ch === COLON && isSpaceOrNewline(text.charCodeAt(i + 1)))) {
      scalarStart = true;
    } else if (ch !== SPACE && ch !== TAB) scalarStart = false;
    if (lineDepth + flow > max) max = lineDepth + flow;
  }
  return max;
}

function isSpaceOrNewline(code: number): boolean {
  return code === SPACE || code === NL;
}

function skipLine(text: string, i: number): number {
  const nl = text.indexOf('\n', i);
  return nl < 0 ? text.length : nl - 1;
}
