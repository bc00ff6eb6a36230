// Hints for names mistyped by people: an initializer's field, a URL's query parameter.

/** Two names one typo apart (a letter missing, added, changed or swapped, or another case). */
export function oneTypoApart(a: string, b: string): boolean {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  if (x === y) return a !== b;
  if (Math.abs(x.length - y.length) > 1) return false;
  let i = 0;
  while (i < x.length && x[i] === y[i]) i++;
  const rest = (s: string, n: number) => s.slice(i + n);
  return (
    rest(x, 1) === rest(y, 1) ||
    rest(x, 1) === rest(y, 0) ||
    rest(x, 0) === rest(y, 1) ||
    (x[i] === y[i + 1] && x[i + 1] === y[i] && rest(x, 2) === rest(y, 2))
  );
}
