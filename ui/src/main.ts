import { mount } from "svelte";
import "./app.css";
import App from "./App.svelte";
import { tauriBackend } from "./lib/backend";
import { MapScreen } from "./lib/map-screen.svelte";

const target = document.getElementById("app");
if (!target) throw new Error("index.html has no #app element");

export default mount(App, { target, props: { screen: new MapScreen(tauriBackend) } });
