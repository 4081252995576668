/**
 * "Did you mean …?": the closest of a few known words to what the user typed, for a subcommand or a config
 * field typo. Transposed letters count as one edit (optimal string alignment), so `udpate` is one from `update`.
 */

/** Edits (insert, delete, substitute, swap two neighbours) between a and b. */
export function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}

/**
 * The known word within a small distance of `typed` (one edit for words up to 7 letters, two beyond),
 * case aside (itself when it is one of them); undefined when none is that close.
 */
export function closestWord(typed: string, known: readonly string[]): string | undefined {
  const lower = typed.toLowerCase();
  let best: { word: string; distance: number } | undefined;
  for (const word of known) {
    const distance = editDistance(lower, word.toLowerCase());
    const allowed = word.length >= 8 ? 2 : 1;
    if (distance <= allowed && (best === undefined || distance < best.distance)) best = { word, distance };
  }
  return best?.word;
}

/** ` Did you mean "scope"?` or nothing: ready to append to a message. */
export function didYouMean(typed: string, known: readonly string[]): string {
  const word = closestWord(typed, known);
  return word === undefined ? "" : ` Did you mean ${JSON.stringify(word)}?`;
}
