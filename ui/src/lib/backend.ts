// The one door from the window to the shell. Components receive a Backend and
// never call `invoke` themselves, so tests can hand them a fake one.
import {
  commands,
  events,
  type CommandError,
  type MapView,
  type MenuAction,
  type Result,
  type Settings,
} from "./bindings";

export type { CommandError, MapView, MenuAction, Result, Settings };

export interface Backend {
  /** The map the window should show, or why there is none. */
  currentMap(): Promise<Result<MapView, CommandError>>;
  /** Ask the user for a file and open it; `null` data when cancelled. */
  openMap(): Promise<Result<MapView | null, CommandError>>;
  /** Change the weights the analysis rests on; returns the recomputed map. */
  setSettings(settings: Settings): Promise<Result<MapView, CommandError>>;
  /** Called when the user picks a menu item the window carries out. */
  onMenu(handler: (action: MenuAction) => void): Promise<() => void>;
}

export const tauriBackend: Backend = {
  currentMap: () => commands.currentMap(),
  openMap: () => commands.openMap(),
  setSettings: (settings) => commands.setSettings(settings),
  onMenu: (handler) => events.menuCommand.listen((e) => handler(e.payload.action)),
};
