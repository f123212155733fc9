/**
 * Maps a line of the JavaScript that tslab runs for a cell back to the line of the cell's
 * TypeScript source, so a runtime error names the line the user wrote (issue 6 item 2).
 *
 * tslab compiles a cell without a source map: TypeScript drops type-only lines and blank lines
 * and inserts `exports.x = x;` bookkeeping, but keeps statements in order and mostly one per
 * line. Our choice: align output lines to source lines by shared tokens with an order-preserving
 * maximum-weight matching, the weighted form of a line diff. A line with no counterpart maps to
 * nothing rather than to a guess.
 */

const IGNORED = new Set(["exports", "tsLastExpr", "__importStar", "__importDefault", "require", "void", "0"]);

/** Identifiers, numbers and string literals of a line: the part types and emit cannot change. */
export function lineTokens(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`|[A-Za-z_$][\w$]*|\d[\w.]*/g)) {
    let t = m[0];
    // Emit may switch quote style; compare string contents.
    if (/^["'`]/.test(t)) t = "str:" + t.slice(1, -1);
    if (!IGNORED.has(t) && !/^tsLastExpr\d*$/.test(t)) out.push(t);
  }
  return out;
}

/**
 * Shared tokens (as multisets) over the geometric mean of the two token counts: 1 for the same
 * line, 0 for unrelated ones; a statement split off a long one-line cell still scores well.
 */
export function lineSimilarity(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const t of a) counts.set(t, (counts.get(t) ?? 0) + 1);
  let shared = 0;
  for (const t of b) {
    const c = counts.get(t) ?? 0;
    if (c > 0) { shared++; counts.set(t, c - 1); }
  }
  return shared / Math.sqrt(a.length * b.length);
}

/** Below this similarity two lines are not considered the same statement. */
const MIN_SIMILARITY = 0.3;

/**
 * For every output line (0-based index), the 0-based source line it came from, or -1. Output
 * lines map to source lines in order; several output lines may share one source line (a cell
 * written on one line becomes several statements). O(output lines × source lines).
 */
export function alignLines(output: string, source: string): number[] {
  const js = output.split("\n").map(lineTokens);
  const ts = source.split("\n").map(lineTokens);
  const n = js.length, m = ts.length;
  const sim = js.map((a) => ts.map((b) => lineSimilarity(a, b)));
  // best[i][j]: maximum total similarity aligning js[i..] with ts[j..].
  const best = Array.from({ length: n + 1 }, () => new Float64Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      const match = sim[i][j] >= MIN_SIMILARITY ? sim[i][j] + best[i + 1][j] : -Infinity;
      best[i][j] = Math.max(match, best[i + 1][j], best[i][j + 1]);
    }
  }
  const map = new Array<number>(n).fill(-1);
  let i = 0, j = 0;
  while (i < n && j < m) {
    if (sim[i][j] >= MIN_SIMILARITY && best[i][j] === sim[i][j] + best[i + 1][j]) { map[i] = j; i++; }
    else if (best[i][j] === best[i + 1][j]) i++;
    else j++;
  }
  return map;
}

/** The 1-based source line of a 1-based output line, or undefined when it has no counterpart. */
export function sourceLineOf(output: string, source: string, outputLine: number): number | undefined {
  const map = alignLines(output, source);
  const j = map[outputLine - 1];
  return j === undefined || j < 0 ? undefined : j + 1;
}
