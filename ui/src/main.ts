import { mount } from "svelte";
import "./app.css";
import App from "./App.svelte";
import { tauriBackend } from "./lib/backend";
import { MapScreen } from "./lib/map-screen.svelte";
import { RoomScreen, tauriRoomBackend } from "./lib/room.svelte";

const target = document.getElementById("app");
if (!target) throw new Error("index.html has no #app element");

const screen = new MapScreen(tauriBackend);
const room = new RoomScreen(tauriRoomBackend, () => screen.refresh());
screen.onAnotherMap = async () => {
  if (room.room) await room.close();
};
export default mount(App, { target, props: { screen, room } });
