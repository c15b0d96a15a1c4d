// The drawing on screen: the core's SVG, inserted whole once and then patched
// with the pieces an edit changed (groups replaced; a step's card, halo or
// rank badge, a connector or its label replaced, inserted or removed). Replacing a 10,000-step drawing whole (some
// 14 MB, half a million elements) kept WebKit busy for about ten seconds;
// replacing the one card a score changed takes milliseconds. Every piece is
// markup made by the core, like the whole drawing (user text escaped there).
import type { Area, ChangedPart, DrawingView } from "./bindings";

/** What to do with a drawing the shell sent, given the version on screen. */
export type DrawingPlan =
  | { kind: "whole"; svg: string }
  | { kind: "patch"; parts: ChangedPart[] }
  /** Changes to a drawing this window does not have: ask for the whole one. */
  | { kind: "resync" };

export function planDrawing(have: number | null, drawing: DrawingView): DrawingPlan {
  if (drawing.kind === "whole") return { kind: "whole", svg: drawing.svg };
  if (have !== null && drawing.base === have) return { kind: "patch", parts: drawing.parts };
  return { kind: "resync" };
}

const SVG_NS = "http://www.w3.org/2000/svg";

/** Holds the drawing's DOM. It exists before the page has a place for it, so
 * a drawing that arrives first is not missed; the page moves `root` in. */
export class DrawingSurface {
  readonly root: HTMLDivElement;
  private version: number | null = null;

  constructor(doc: Document = document) {
    this.root = doc.createElement("div");
  }

  /** Shows `drawing`. False when it could not: changes to a drawing this
   * surface does not have, or an element they name is missing. The caller
   * then asks the shell for the whole drawing. */
  show(drawing: DrawingView): boolean {
    const plan = planDrawing(this.version, drawing);
    if (plan.kind === "resync") return false;
    if (plan.kind === "whole") {
      clear(this.root);
      this.root.innerHTML = plan.svg;
    } else if (!this.tryPatch(plan.parts)) {
      this.version = null;
      return false;
    }
    this.version = drawing.version;
    return true;
  }

  /** A patch that cannot be applied whole (an element missing, the DOM
   * refusing an operation) leaves the drawing to be replaced whole. */
  private tryPatch(parts: ChangedPart[]): boolean {
    try {
      return this.patch(parts);
    } catch {
      return false;
    }
  }

  private patch(parts: ChangedPart[]): boolean {
    const svg = this.root.firstElementChild;
    if (!svg) return false;
    const doc = svg.ownerDocument;
    const sets = new Map<string, ItemSet | null>();
    const setOf = (name: string): ItemSet | null => {
      if (!sets.has(name)) {
        const group = svg.querySelector(`:scope > g.${CSS.escape(name)}`);
        // One pass over a set beats a search per item when an edit re-ranks
        // the weak spots or adds a step and many items change.
        const many = parts.filter((p) => p.kind !== "group" && p.set === name).length > 3;
        sets.set(name, group ? { group, index: many ? itemIndex(group) : null } : null);
      }
      return sets.get(name) ?? null;
    };
    const find = (set: ItemSet, id: string) => {
      if (set.index) return set.index.get(id) ?? null;
      const key = CSS.escape(id);
      return set.group.querySelector(`:scope > [data-step="${key}"], :scope > [data-flow="${key}"]`);
    };
    for (const part of parts) {
      if (part.kind === "group") {
        const next = parse(doc, part.markup);
        const old = svg.querySelector(`:scope > g.${CSS.escape(part.class)}`);
        if (!next || !old) return false;
        old.replaceWith(next);
        continue;
      }
      const set = setOf(part.set);
      if (!set) return false;
      if (part.kind === "removed_item") {
        const old = find(set, part.id);
        if (!old) return false;
        old.remove();
        set.index?.delete(part.id);
        continue;
      }
      const next = parse(doc, part.markup);
      if (!next) return false;
      if (part.kind === "new_item") {
        const after = part.after === null ? null : find(set, part.after);
        if (part.after !== null && !after) return false;
        if (after) after.after(next);
        else set.group.prepend(next);
      } else {
        const old = find(set, part.id);
        if (!old) return false;
        old.replaceWith(next);
      }
      set.index?.set(part.id, next);
    }
    return true;
  }
}

/** A set of one element per step (cards, halos, rank badges) or per flow
 * (connectors, their labels): its group, and its elements by their key
 * (`data-step`, `data-flow`) when many are changed at once. */
type ItemSet = { group: Element; index: Map<string, Element> | null };

/** Empties `root`, taking the drawing apart from its last element to its
 * first. Removed in one piece, a 10,000-step drawing kept WebKit busy for
 * about 7 s (hiding it first cost as much); last to first, so that the 25,000
 * arrows go before the markers they point at in `<defs>`, it takes 0.1-0.3 s. */
function clear(root: Element): void {
  const svg = root.firstElementChild;
  if (svg) for (let last = svg.lastChild; last; last = svg.lastChild) last.remove();
  root.replaceChildren();
}

function itemIndex(group: Element): Map<string, Element> {
  const index = new Map<string, Element>();
  for (const item of group.children) index.set(item.getAttribute("data-step") ?? item.getAttribute("data-flow") ?? "", item);
  return index;
}

/** One element of SVG markup, parsed in the SVG namespace (an HTML parser
 * given an SVG context element, as the whole drawing is parsed). */
function parse(doc: Document, markup: string): Element | null {
  const holder = doc.createElementNS(SVG_NS, "g");
  holder.innerHTML = markup;
  return holder.firstElementChild;
}

/**
 * Keeps the lane names in view while the drawing scrolls sideways, as a
 * spreadsheet freezes its first column: once `left` (the scroll offset, in
 * drawing units) has taken the names out of view, a copy of the lane name
 * column (the lane's colour bar, names and facing, on the lane's ground)
 * sits over the drawing's left edge. The copy is the core's own text nodes,
 * cloned: nothing is drawn twice in code. It is rebuilt when the lanes group
 * was replaced by a patch.
 */
export function freezeLanes(root: Element, left: number): void {
  const svg = root.firstElementChild;
  if (!svg) return;
  let frozen = svg.querySelector<SVGGElement>(":scope > g.frozen-lanes");
  const lanes = svg.querySelector(":scope > g.lanes");
  const first = lanes?.querySelector("rect[data-lane]");
  const laneX = Number(first?.getAttribute("x") ?? 0);
  const columns = [...svg.querySelectorAll("g.stages rect[data-stage-column]")].map((r) => Number(r.getAttribute("x")));
  const width = columns.length ? Math.min(...columns) - laneX : 0;
  if (!lanes || !first || width <= 0 || left <= laneX) {
    frozen?.remove();
    return;
  }
  if (!frozen || frozenFrom.get(frozen) !== lanes) {
    frozen?.remove();
    frozen = svg.ownerDocument.createElementNS(SVG_NS, "g");
    frozen.setAttribute("class", "frozen-lanes");
    frozen.setAttribute("aria-hidden", "true");
    for (const lane of lanes.querySelectorAll("rect[data-lane]")) {
      const y = Number(lane.getAttribute("y"));
      const h = Number(lane.getAttribute("height"));
      const ground = svg.ownerDocument.createElementNS(SVG_NS, "rect");
      for (const [k, v] of [["x", laneX], ["y", y], ["width", width], ["height", h], ["fill", "#ffffff"], ["stroke", "#d9dee5"]] as const) {
        ground.setAttribute(k, String(v));
      }
      const tint = lane.cloneNode() as Element;
      tint.setAttribute("width", String(width));
      tint.removeAttribute("data-lane");
      frozen.append(ground, tint);
    }
    // The colour bars and the names: every other element of the lanes
    // group within the name column.
    for (const el of lanes.children) {
      if (el.hasAttribute("data-lane")) continue;
      if (Number(el.getAttribute("x") ?? Infinity) < laneX + width) frozen.append(el.cloneNode(true));
    }
    frozenFrom.set(frozen, lanes);
    svg.append(frozen);
  }
  frozen.setAttribute("transform", `translate(${(left - laneX).toFixed(1)} 0)`);
}

const frozenFrom = new WeakMap<Element, Element>();

/**
 * The part of the drawing a canvas shows, in the drawing's own units (a
 * large map is drawn only around it: see `MapView.drawn_by_area`). The
 * canvas is scrolled by `scroll` and measures `size`, in its pixels; the
 * drawing sits at its padding `pad` and is zoomed by `zoom`.
 */
export function portOf(
  scroll: { left: number; top: number },
  size: { width: number; height: number },
  pad: { left: number; top: number },
  zoom: number,
): Area {
  const z = zoom > 0 ? zoom : 1;
  return {
    x: (scroll.left - pad.left) / z,
    y: (scroll.top - pad.top) / z,
    width: size.width / z,
    height: size.height / z,
  };
}

/** Where to scroll a canvas so that `box` (in the drawing's units) sits
 * at its centre, as `scrollIntoView` centres a card it has. */
export function scrollToCentre(
  box: Area,
  size: { width: number; height: number },
  pad: { left: number; top: number },
  zoom: number,
): { left: number; top: number } {
  return {
    left: Math.max(0, pad.left + (box.x + box.width / 2) * zoom - size.width / 2),
    top: Math.max(0, pad.top + (box.y + box.height / 2) * zoom - size.height / 2),
  };
}
