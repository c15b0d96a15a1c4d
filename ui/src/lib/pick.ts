// Picking one step among thousands by typing a few letters of its title: a
// <select> of every step took WebKit seconds to rebuild after each edit on a
// 10,000-step map, and nobody scrolls 10,000 options. (No <datalist>: its
// popup swallows the Enter key.)
import type { Step } from "./bindings";

/** Steps whose title or id matches `query`, best first: exact, then starting
 * with it, then containing it (ignoring case); at most `limit` of them, and
 * how many more matched. `except` (the step being edited) is left out. */
export function findSteps(
  query: string,
  steps: readonly Step[],
  except: string | null,
  limit = 8,
): { matches: Step[]; more: number } {
  const q = query.trim().toLowerCase();
  if (!q) return { matches: [], more: 0 };
  const exact: Step[] = [];
  const starts: Step[] = [];
  const contains: Step[] = [];
  for (const s of steps) {
    if (s.id === except) continue;
    const title = s.title.toLowerCase();
    const id = s.id.toLowerCase();
    if (title === q || id === q) exact.push(s);
    else if (title.startsWith(q) || id.startsWith(q)) starts.push(s);
    else if (title.includes(q)) contains.push(s);
  }
  const all = [...exact, ...starts, ...contains];
  return { matches: all.slice(0, limit), more: Math.max(0, all.length - limit) };
}
