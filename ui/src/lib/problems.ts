// The map's validation problems, found by the core, placed where the room
// looks: a step's own warnings beside its fields in the inspector.
import type { Problem } from "./bindings";

/** The problems about the step at `index` in the map's step list (its path
 * is `steps[index]` or a field of it), errors first as the core sends them. */
export function problemsOfStep(problems: readonly Problem[], index: number): Problem[] {
  const at = `steps[${index}]`;
  return problems.filter((p) => p.path === at || p.path.startsWith(`${at}.`));
}
