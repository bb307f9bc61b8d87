/**
 * In-place sorts that allocate nothing for the short arrays the desired state sorts by the thousand
 * (a service's keys, labels, ports). V8's `Array.prototype.sort` allocates a work copy and a state
 * object per call: ~15 MB a desired state of 1,000 services (heap sampling), which the young
 * generation then has to collect. Longer arrays take the built-in sort (insertion sort is quadratic).
 */
const SHORT = 24;

/** Sorts `items` in place as `items.sort()` sorts strings (UTF-16 code units); returns it. */
export function sortStrings<T extends string>(items: T[]): T[] {
  const n = items.length;
  if (n > SHORT) return items.sort();
  for (let i = 1; i < n; i++) {
    const item = items[i] as T;
    let j = i - 1;
    while (j >= 0 && (items[j] as T) > item) {
      items[j + 1] = items[j] as T;
      j--;
    }
    items[j + 1] = item;
  }
  return items;
}

/** Sorts `items` in place with `compare`, stably as `items.sort(compare)`; returns it. */
export function sortBy<T>(items: T[], compare: (a: T, b: T) => number): T[] {
  const n = items.length;
  if (n > SHORT) return items.sort(compare);
  for (let i = 1; i < n; i++) {
    const item = items[i] as T;
    let j = i - 1;
    while (j >= 0 && compare(items[j] as T, item) > 0) {
      items[j + 1] = items[j] as T;
      j--;
    }
    items[j + 1] = item;
  }
  return items;
}
