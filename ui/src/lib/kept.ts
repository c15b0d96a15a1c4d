// An edit's view leaves out what did not change since the view before it
// (`MapView.kept`): on a 10,000-step map a score changes one step, and the
// flows, pain points, problems and agreements sent again were most of the
// answer. The window puts those parts back from the view it has.
import type { MapView } from "./bindings";

/** `next` whole, with the parts it left out taken from `have`; `null` when
 * `have` is not the view they were left out of (the window then asks for
 * the whole view). Nothing is changed in place: both views stay as they are. */
export function restoreKept(have: MapView | null, next: MapView): MapView | null {
  const kept = next.kept;
  if (!kept) return next;
  if (!have || have.drawing.version !== kept.base) return null;
  let steps = next.map.steps;
  if (kept.steps) {
    const changed = kept.steps;
    if (changed.some((c) => c.index >= have.map.steps.length)) return null;
    steps = have.map.steps.slice();
    for (const c of changed) steps[c.index] = c.step;
  }
  let analysis = next.analysis;
  if (kept.agreements && analysis) {
    if (!have.analysis) return null;
    analysis = { ...analysis, agreements: have.analysis.agreements };
  }
  return {
    ...next,
    kept: null,
    problems: kept.problems ? have.problems : next.problems,
    analysis,
    map: {
      ...next.map,
      steps,
      flows: kept.flows ? have.map.flows : next.map.flows,
      pain_points: kept.pain_points ? have.map.pain_points : next.map.pain_points,
    },
  };
}
