// The phone page of a Waymark room. Every element is built from the room's
// JSON with textContent: what participants type is shown, never run.
"use strict";

const el = (id) => document.getElementById(id);

/** A random id, made once and kept, so a reload or a locked screen rejoins
 * as the same person. crypto.randomUUID is missing on plain HTTP;
 * getRandomValues is not. */
function voterId() {
  const key = "waymark-voter:" + location.pathname;
  let v = localStorage.getItem(key);
  if (!v) {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    v = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    localStorage.setItem(key, v);
  }
  return v;
}

const voter = voterId();
let state = null;
let events = null;
let toastTimer = null;

function toast(text, bad) {
  const t = el("toast");
  t.textContent = text;
  t.className = bad ? "toast bad" : "toast";
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (t.textContent = ""), bad ? 6000 : 2000);
}

function connection(text, kind) {
  const c = el("connection");
  c.textContent = text;
  c.className = "connection " + (kind ?? "");
}

async function call(path, body) {
  try {
    const r = await fetch(path, {
      method: body === undefined ? "GET" : "POST",
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = await r.json().catch(() => ({}));
    if (!r.ok) return { error: answer.error?.message ?? `refused (${r.status})`, status: r.status };
    return { answer };
  } catch {
    return { error: "not sent: the room cannot be reached (reconnecting…)" };
  }
}

/** An action: sent, then "saved" once the room has stored it. */
async function act(path, body, what) {
  const { answer, error } = await call(path, { voter, ...body });
  if (error) {
    toast(error, true);
    return false;
  }
  if (answer.state) show(answer.state);
  toast(`${what}: saved`);
  return true;
}

function node(tag, cls, text) {
  const n = document.createElement(tag);
  if (cls) n.className = cls;
  if (text !== undefined) n.textContent = text;
  return n;
}

const HALVES = [1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5];

// The page is built once per step and pain point, then kept: a new state
// only changes the text, values and flags that differ. A control someone is
// using (a picker open under a finger, a button about to be tapped) is never
// replaced, and its value is left alone while it has the focus.
const stageViews = new Map();
const stepViews = new Map();
const painViews = new Map();
let painStepsKey = "";

/** Sets a node's text only when it differs. */
function text(n, t) {
  if (n.textContent !== t) n.textContent = t;
}

function flag(n, name, on) {
  if (n[name] !== on) n[name] = on;
}

/** Puts `children` in `parent` in this order, moving only what is out of place. */
function order(parent, children) {
  let at = parent.firstChild;
  for (const c of children) {
    if (c !== at) parent.insertBefore(c, at);
    else at = at.nextSibling;
  }
  while (at) {
    const next = at.nextSibling;
    at.remove();
    at = next;
  }
}

const dotsWord = (n) => `${n} dot${n === 1 ? "" : "s"}`;

function stageView(stage) {
  let v = stageViews.get(stage.id);
  if (!v) {
    const section = node("section", "stage");
    section.id = `stage-${stage.id}`;
    const heading = node("h2", "");
    const list = node("ul", "steps");
    section.append(heading, list);
    const jump = node("button", "jump");
    jump.type = "button";
    jump.addEventListener("click", () => section.scrollIntoView({ behavior: "smooth", block: "start" }));
    v = { section, heading, list, jump };
    stageViews.set(stage.id, v);
  }
  text(v.heading, stage.name);
  text(v.jump, stage.name);
  return v;
}

function stepView(step) {
  let v = stepViews.get(step.id);
  if (!v) {
    const li = node("li", "step");
    li.dataset.step = step.id;
    const head = node("div", "head");
    const title = node("span", "title");
    const dept = node("span", "dept");
    const tally = node("span", "tally");
    head.append(title, dept, tally);
    const rate = node("label", "rate");
    rate.append(node("span", "label", "Your rating"));
    const select = document.createElement("select");
    select.dataset.step = step.id;
    select.append(new Option("–", ""));
    for (const h of HALVES) select.append(new Option(String(h), String(h)));
    select.addEventListener("change", () => {
      const score = select.value === "" ? null : Number(select.value);
      void act("api/rate", { step: step.id, score }, score === null ? "Rating taken back" : `Rated ${score}`);
    });
    rate.append(select);
    const mine = node("span", "mine-rating");
    const pains = node("ul", "pains");
    li.append(head, rate, mine, pains);
    v = { li, title, dept, tally, rate, select, mine, pains };
    stepViews.set(step.id, v);
  }
  return v;
}

function updateStep(v, step, s, open) {
  v.li.className = step.frontstage ? "step" : "step backstage";
  text(v.title, step.title);
  text(v.dept, step.frontstage ? step.department : `${step.department} · backstage`);
  text(v.tally, step.tally ? `score ${step.tally.score ?? "–"} · ${step.tally.ratings} rating${step.tally.ratings === 1 ? "" : "s"}` : "");
  flag(v.tally, "hidden", !step.tally);
  const mine = s.mine.ratings[step.id];
  const rating = step.frontstage && open.has("rating");
  flag(v.rate, "hidden", !rating);
  // Not while the picker is in use: its own choice is on its way.
  const value = mine === undefined ? "" : String(mine);
  if (document.activeElement !== v.select && v.select.value !== value) v.select.value = value;
  text(v.mine, !rating && step.frontstage && mine !== undefined ? `You rated ${mine}` : "");
  flag(v.mine, "hidden", rating || !step.frontstage || mine === undefined);
  const pains = s.pain_points.filter((p) => p.step === step.id);
  order(v.pains, pains.map((p) => updatePain(painView(p), p, s, open.has("voting"))));
  flag(v.pains, "hidden", pains.length === 0);
}

function painView(p) {
  let v = painViews.get(p.id);
  if (!v) {
    const li = node("li", "pain");
    li.dataset.pain = p.id;
    const said = node("span", "text");
    const meta = node("span", "meta");
    const dots = node("span", "dots");
    const minus = node("button", "dot-button", "−");
    minus.type = "button";
    minus.setAttribute("aria-label", "Take back a dot");
    minus.addEventListener("click", () => void act("api/dot", { pain_point: p.id, delta: -1 }, "Dot taken back"));
    const plus = node("button", "dot-button", "+");
    plus.type = "button";
    plus.setAttribute("aria-label", "Place a dot");
    plus.addEventListener("click", () => void act("api/dot", { pain_point: p.id, delta: 1 }, "Dot placed"));
    const mine = node("span", "mine");
    dots.append(minus, mine, plus);
    li.append(said, meta, dots);
    v = { li, said, meta, dots, minus, plus, mine };
    painViews.set(p.id, v);
  }
  return v;
}

function updatePain(v, p, s, voting) {
  text(v.said, p.text);
  const meta = [p.severity ? `severity ${p.severity}` : "", p.votes !== undefined ? `${p.votes} vote${p.votes === 1 ? "" : "s"}` : ""];
  text(v.meta, meta.filter(Boolean).join(" · "));
  const mine = s.mine.dots[p.id] ?? 0;
  text(v.mine, dotsWord(mine));
  v.mine.classList.toggle("none", mine === 0);
  flag(v.minus, "hidden", !voting);
  flag(v.plus, "hidden", !voting);
  flag(v.minus, "disabled", mine === 0);
  flag(v.plus, "disabled", s.dots_left === 0);
  flag(v.dots, "hidden", !voting && mine === 0);
  return v.li;
}

/** The steps a participant acts on: those the customer meets (to rate), and
 * any other that holds a pain point (to place dots on). */
function shown(s) {
  const pained = new Set(s.pain_points.map((p) => p.step));
  return s.steps.filter((st) => st.frontstage || pained.has(st.id));
}

function painSteps(s) {
  const select = el("pain-step");
  const key = JSON.stringify([s.stages, s.steps.map((st) => [st.id, st.title, st.stage])]);
  if (key === painStepsKey || document.activeElement === select) return;
  painStepsKey = key;
  const keep = select.value;
  const groups = [];
  for (const stage of s.stages) {
    const steps = s.steps.filter((st) => st.stage === stage.id);
    if (!steps.length) continue;
    const group = document.createElement("optgroup");
    group.label = stage.name;
    group.append(...steps.map((st) => new Option(st.title, st.id)));
    groups.push(group);
  }
  select.replaceChildren(...groups);
  if (keep) select.value = keep;
}

function show(s) {
  // An action's answer can arrive after the state that followed it: never
  // go back to an older one.
  if (state && s.version < state.version) return;
  state = s;
  text(el("title"), s.title);
  if (s.closed) return closed();
  const joined = s.participant !== null && s.participant !== undefined;
  flag(el("join"), "hidden", joined);
  flag(el("room"), "hidden", !joined);
  flag(el("stages"), "hidden", !joined);
  flag(el("anonymous-hint"), "hidden", !s.allow_anonymous);
  if (!joined) return;
  const open = new Set(s.activities);
  text(el("me"), `You are ${s.participant}` + (s.dots_left !== null && s.dots_left !== undefined ? ` · ${s.dots_left} of ${s.budget} dots left` : ""));
  const names = { rating: "rating", voting: "placing dots", pain: "adding pain points" };
  text(el("open"), open.size ? `Open now: ${[...open].map((a) => names[a] ?? a).join(", ")}` : "Nothing is open just now: wait for the facilitator.");
  const steps = shown(s);
  const sections = [];
  const jumps = [];
  for (const stage of s.stages) {
    const here = steps.filter((st) => st.stage === stage.id);
    if (!here.length) continue;
    const v = stageView(stage);
    order(v.list, here.map((st) => {
      const sv = stepView(st);
      updateStep(sv, st, s, open);
      return sv.li;
    }));
    sections.push(v.section);
    jumps.push(v.jump);
  }
  order(el("journey"), sections);
  order(el("stages"), jumps.length > 1 ? jumps : []);
  // Forget what is gone, so it is built anew if it comes back.
  const live = new Set(steps.map((st) => st.id));
  for (const id of [...stepViews.keys()]) if (!live.has(id)) stepViews.delete(id);
  const pains = new Set(s.pain_points.map((p) => p.id));
  for (const id of [...painViews.keys()]) if (!pains.has(id)) painViews.delete(id);
  flag(el("add-pain"), "hidden", !open.has("pain"));
  painSteps(s);
  text(el("done-note"), s.done ? "You said you are done: the facilitator can see it." : "");
  flag(el("done-note"), "hidden", !s.done);
  text(el("done"), s.done ? "Take back \u201cI'm done\u201d" : "I'm done");
  el("done").classList.toggle("is-done", s.done);
  document.documentElement.style.setProperty("--header", `${document.querySelector("header").offsetHeight}px`);
}

function closed() {
  el("join").hidden = true;
  el("room").hidden = true;
  el("closed").hidden = false;
  connection("The room is closed", "closed");
  events?.close();
}

function listen() {
  events = new EventSource(`api/events?voter=${encodeURIComponent(voter)}`);
  events.addEventListener("open", () => connection("Connected", "ok"));
  events.addEventListener("state", (e) => {
    connection("Connected", "ok");
    show(JSON.parse(e.data));
  });
  events.addEventListener("closed", () => closed());
  events.addEventListener("error", () => {
    if (!el("closed").hidden) return;
    connection("Reconnecting…", "lost");
  });
}

el("join-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const name = el("name").value.trim();
  const { error } = await call("api/join", { voter, name: name || null });
  if (error) return toast(error, true);
  const { answer } = await call(`api/state?voter=${encodeURIComponent(voter)}`);
  if (answer) show(answer);
  toast("Joined");
});

el("pain-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const text = el("pain-text").value.trim();
  if (!text) return toast("Say what hurts first", true);
  const ok = await act("api/pain", { step: el("pain-step").value, text, severity: Number(el("pain-severity").value) }, "Pain point added");
  if (ok) el("pain-text").value = "";
});

el("done").addEventListener("click", () => void act("api/done", { done: !state?.done }, state?.done ? "Back in" : "Marked done"));

(async () => {
  const { answer, error } = await call(`api/state?voter=${encodeURIComponent(voter)}`);
  if (error) {
    connection(error, "lost");
    if (!answer) closed();
    return;
  }
  show(answer);
  listen();
})();
