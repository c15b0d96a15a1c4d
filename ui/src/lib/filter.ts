import type { Map as JourneyMap, PainPoint, Step } from "./bindings";

/** Whose work the window shows: everyone's, one department's or one owner's. */
export type Focus = { kind: "all" } | { kind: "department"; id: string } | { kind: "owner"; name: string };

/** True when the step belongs to the focus. */
export function stepInFocus(step: Step, focus: Focus): boolean {
  switch (focus.kind) {
    case "all":
      return true;
    case "department":
      return step.department === focus.id;
    case "owner":
      return (step.owner ?? "") === focus.name;
  }
}

/** The ids of the steps in focus: a department's or owner's steps, and for an
 * owner also the steps carrying a pain point they own (their part of the
 * problem is on that card). */
export function stepsInFocus(map: JourneyMap, focus: Focus): Set<string> {
  const ids = new Set(map.steps.filter((s) => stepInFocus(s, focus)).map((s) => s.id));
  if (focus.kind === "owner") for (const p of map.pain_points ?? []) if ((p.owner ?? "") === focus.name) ids.add(p.step);
  return ids;
}

/** The pain points of the focus: on its steps, or owned by its owner. */
export function painInFocus(map: JourneyMap, focus: Focus): PainPoint[] {
  const steps = new Map(map.steps.map((s) => [s.id, s]));
  return (map.pain_points ?? [])
    .filter((p) => {
      if (focus.kind === "all") return true;
      if (focus.kind === "owner" && (p.owner ?? "") === focus.name) return true;
      const step = steps.get(p.step);
      return step !== undefined && stepInFocus(step, focus);
    })
    .sort((a, b) => (b.votes ?? 0) - (a.votes ?? 0));
}

/** Every named owner of a step or pain point, sorted. */
export function owners(map: JourneyMap): string[] {
  const names = new Set<string>();
  for (const s of map.steps) if (s.owner) names.add(s.owner);
  for (const p of map.pain_points ?? []) if (p.owner) names.add(p.owner);
  return [...names].sort((a, b) => a.localeCompare(b));
}
