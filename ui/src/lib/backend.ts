// The one door from the window to the shell. Components receive a Backend and
// never call `invoke` themselves, so tests can hand them a fake one.
import {
  commands,
  events,
  type About,
  type Area,
  type DrawingView,
  type CommandError,
  type Comparison,
  type Edit,
  type Exported,
  type MapView,
  type MenuAction,
  type Result,
  type PaperChoice,
  type Portfolio,
  type LibraryMapView,
  type LogPreview,
  type RankingCertainty,
  type RecentMap,
  type SurveyChoices,
  type SurveyPreview,
  type Settings,
} from "./bindings";

export type {
  About,
  Area,
  DrawingView,
  CommandError,
  Comparison,
  Edit,
  Exported,
  LibraryMapView,
  LogPreview,
  MapView,
  MenuAction,
  PaperChoice,
  Portfolio,
  RankingCertainty,
  RecentMap,
  Result,
  Settings,
  SurveyChoices,
  SurveyPreview,
};

export interface Backend {
  /** The map the window should show, or why there is none. */
  currentMap(): Promise<Result<MapView, CommandError>>;
  /** The map again after others changed it, its drawing as the changes to
   * the one the window has. */
  changedMap(): Promise<Result<MapView, CommandError>>;
  /** Ask the user for a file and open it; `null` data when cancelled. */
  openMap(): Promise<Result<MapView | null, CommandError>>;
  /** Change the weights the analysis rests on; returns the recomputed map. */
  setSettings(settings: Settings): Promise<Result<MapView, CommandError>>;
  /** Send the rankings whole from now on (`true`), or their first places. */
  showWholeRankings(whole: boolean): Promise<Result<MapView, CommandError>>;
  /** The window shows this part of the drawing now; on a map drawn by
   * area, the changes that bring what came into view (`null`: nothing new). */
  showArea(port: Area): Promise<Result<DrawingView | null, CommandError>>;
  /** Where a step's card is in the drawing (`null`: no such step). */
  stepArea(id: string): Promise<Area | null>;
  /** Apply one edit; the map is stored before this resolves. */
  applyEdit(edit: Edit): Promise<Result<MapView, CommandError>>;
  /** Apply an edit that refines the last one (the ".5" after a score key): one undo takes back both. */
  amendEdit(edit: Edit): Promise<Result<MapView, CommandError>>;
  /** Ask where to create a new map (empty, or from a sample) and open it; `null` data when cancelled. */
  newMap(template: string | null): Promise<Result<MapView | null, CommandError>>;
  /** Ask for a CSV of steps and add them as one edit; `null` data when cancelled. */
  importCsv(): Promise<Result<MapView | null, CommandError>>;
  /** Full screen on or off, for presenting on a projector. */
  setFullscreen(on: boolean): Promise<Result<null, CommandError>>;
  /** Take back the last edit. */
  undo(): Promise<Result<MapView, CommandError>>;
  /** Replay the last undone edit. */
  redo(): Promise<Result<MapView, CommandError>>;
  /** Ask where to save, and write the PDF report there; `null` data when cancelled. */
  exportPdf(paper: PaperChoice): Promise<Result<Exported | null, CommandError>>;
  /** Ask where to save a copy of the map (with an edit whose write failed)
   * and continue editing the copy; `null` data when cancelled. */
  saveCopy(): Promise<Result<MapView | null, CommandError>>;
  /** Open the last exported file in the system's viewer. */
  openLastExport(): Promise<Result<null, CommandError>>;
  /** Freeze the open map as a review taken today. */
  takeReview(name: string, participants: string[]): Promise<Result<MapView, CommandError>>;
  /** What changed from review `before` to review `after`, or to now (`null`). */
  compareReviews(before: number, after: number | null): Promise<Result<Comparison, CommandError>>;
  /** The maps opened lately, for the home screen. */
  recentMaps(): Promise<RecentMap[]>;
  /** Open a map from the home screen. */
  openRecent(path: string): Promise<Result<MapView, CommandError>>;
  /** Ask for a folder of maps and read its portfolio; `null` data when cancelled. */
  choosePortfolio(): Promise<Result<Portfolio | null, CommandError>>;
  /** The portfolio named with `--portfolio` at launch, if any. */
  launchPortfolio(): Promise<Result<Portfolio | null, CommandError>>;
  /** The portfolio of a library (`postgres://…`). */
  libraryPortfolio(url: string): Promise<Result<Portfolio, CommandError>>;
  /** Open a journey of the last portfolio read. */
  openPortfolioJourney(path: string): Promise<Result<MapView, CommandError>>;
  /** The libraries opened lately (URLs, never passwords). */
  recentLibraries(): Promise<string[]>;
  /** The maps of the library at `url`; a password given is kept for the session. */
  libraryMaps(url: string, password: string | null): Promise<Result<LibraryMapView[], CommandError>>;
  /** Open a library's map for editing, following others' edits of it. */
  openLibraryMap(url: string, map: string, password: string | null): Promise<Result<MapView, CommandError>>;
  /** Called when the open map changed elsewhere, or its library went away or came back. */
  onMapChanged(handler: () => void): Promise<() => void>;
  /** Called when the user picks a menu item the window carries out. */
  onMenu(handler: (action: MenuAction) => void): Promise<() => void>;
  /** Ask for an event log, read it and measure the map against it; `null` data when cancelled. */
  previewLog(): Promise<Result<LogPreview | null, CommandError>>;
  /** Stop the log being read (the preview then answers with code "cancelled"). */
  cancelLog(): Promise<void>;
  /** Store the previewed measurement as one edit. */
  applyLog(): Promise<Result<MapView, CommandError>>;
  /** Called as a log is read: bytes read of the file's size. */
  onLogProgress(handler: (read: number, total: number) => void): Promise<() => void>;
  /** Ask for a survey export and preview it; `null` data when cancelled. */
  chooseSurvey(choices: SurveyChoices): Promise<Result<SurveyPreview | null, CommandError>>;
  /** Read the chosen survey again with other choices. */
  previewSurvey(choices: SurveyChoices): Promise<Result<SurveyPreview, CommandError>>;
  /** Store the previewed survey's scores as one edit. */
  applySurvey(): Promise<Result<MapView, CommandError>>;
  /** Take the previewed survey's fitted weights as one edit. */
  applyWeights(): Promise<Result<MapView, CommandError>>;
  /** How sure the ranking is (1,000 resamples), or why it cannot be said. */
  rankingCertainty(): Promise<Result<RankingCertainty, CommandError>>;
  /** The release and commit of this build, for Help › About. */
  about(): Promise<About>;
  /** Called when Waymark was launched again on a map and the shell opened it
   * in this window (or says why it could not). */
  onOpenedByLaunch(handler: (error: CommandError | null) => void): Promise<() => void>;
}

export const tauriBackend: Backend = {
  currentMap: () => commands.currentMap(),
  changedMap: () => commands.changedMap(),
  openMap: () => commands.openMap(),
  setSettings: (settings) => commands.setSettings(settings),
  showWholeRankings: (whole) => commands.showWholeRankings(whole),
  showArea: (port) => commands.showArea(port),
  stepArea: (id) => commands.stepArea(id),
  applyEdit: (edit) => commands.applyEdit(edit),
  amendEdit: (edit) => commands.amendEdit(edit),
  importCsv: () => commands.importCsv(),
  newMap: (template) => commands.newMap(template),
  setFullscreen: (on) => commands.setFullscreen(on),
  undo: () => commands.undo(),
  redo: () => commands.redo(),
  exportPdf: (paper) => commands.exportPdf(paper),
  saveCopy: () => commands.saveCopy(),
  openLastExport: () => commands.openLastExport(),
  takeReview: (name, participants) => commands.takeReview(name, participants),
  compareReviews: (before, after) => commands.compareReviews(before, after),
  recentMaps: () => commands.recentMaps(),
  openRecent: (path) => commands.openRecent(path),
  choosePortfolio: () => commands.choosePortfolio(),
  launchPortfolio: () => commands.launchPortfolio(),
  libraryPortfolio: (url) => commands.libraryPortfolio(url),
  openPortfolioJourney: (path) => commands.openPortfolioJourney(path),
  recentLibraries: () => commands.recentLibraries(),
  libraryMaps: (url, password) => commands.libraryMaps(url, password),
  openLibraryMap: (url, map, password) => commands.openLibraryMap(url, map, password),
  onMapChanged: (handler) => events.mapChanged.listen(() => handler()),
  onMenu: (handler) => events.menuCommand.listen((e) => handler(e.payload.action)),
  previewLog: () => commands.previewLog(),
  cancelLog: () => commands.cancelLog(),
  applyLog: () => commands.applyLog(),
  onLogProgress: (handler) => events.logProgress.listen((e) => handler(e.payload.read, e.payload.total)),
  chooseSurvey: (choices) => commands.chooseSurvey(choices),
  previewSurvey: (choices) => commands.previewSurvey(choices),
  applySurvey: () => commands.applySurvey(),
  applyWeights: () => commands.applyWeights(),
  rankingCertainty: () => commands.rankingCertainty(),
  about: () => commands.about(),
  onOpenedByLaunch: (handler) => events.openedByLaunch.listen((e) => handler(e.payload.error)),
};
