// Dragging a card to another stage or lane. The core's drawing marks each
// stage column with `data-stage-column` and each lane with `data-lane`; the
// drop target is read from the elements under the pointer, so the window
// needs no copy of the layout.

/** Pixels the pointer must travel before a press becomes a drag, so a click still selects. */
export const DRAG_THRESHOLD = 6;

export function isDrag(dx: number, dy: number): boolean {
  return Math.hypot(dx, dy) >= DRAG_THRESHOLD;
}

export interface Cell {
  stage: string | null;
  department: string | null;
}

/** The stage column and lane among the elements under a point (topmost first). */
export function cellAt(elements: readonly Pick<Element, "getAttribute">[]): Cell {
  let stage: string | null = null;
  let department: string | null = null;
  for (const el of elements) {
    stage ??= el.getAttribute("data-stage-column");
    department ??= el.getAttribute("data-lane");
  }
  return { stage, department };
}

/** The step moved to the cell it was dropped on; `null` when nothing changes
 * or the drop missed the grid. A drop on a lane outside any column (its
 * header) keeps the stage. */
export function moved<T extends { stage: string; department: string }>(step: T, cell: Cell): T | null {
  const stage = cell.stage ?? step.stage;
  const department = cell.department;
  if (!department) return null;
  if (stage === step.stage && department === step.department) return null;
  return { ...step, stage, department };
}
