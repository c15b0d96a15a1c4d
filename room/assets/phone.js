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

function ratingControl(step) {
  const wrap = node("label", "rate");
  wrap.append(node("span", "label", "Your rating"));
  const select = document.createElement("select");
  select.dataset.step = step.id;
  select.append(new Option("–", ""));
  for (const h of HALVES) select.append(new Option(String(h), String(h)));
  const mine = state.mine.ratings[step.id];
  select.value = mine === undefined ? "" : String(mine);
  select.addEventListener("change", () => {
    const score = select.value === "" ? null : Number(select.value);
    void act("api/rate", { step: step.id, score }, score === null ? "Rating taken back" : `Rated ${score}`);
  });
  wrap.append(select);
  return wrap;
}

function painItem(p, voting) {
  const li = node("li", "pain");
  li.dataset.pain = p.id;
  li.append(node("span", "text", p.text));
  const meta = node("span", "meta", p.severity ? `severity ${p.severity}` : "");
  if (p.votes !== undefined) meta.textContent += `${meta.textContent ? " · " : ""}${p.votes} vote${p.votes === 1 ? "" : "s"}`;
  li.append(meta);
  const mine = state.mine.dots[p.id] ?? 0;
  const dots = node("span", "dots");
  if (voting) {
    const minus = node("button", "dot-button", "−");
    minus.type = "button";
    minus.setAttribute("aria-label", "Take back a dot");
    minus.disabled = mine === 0;
    minus.addEventListener("click", () => void act("api/dot", { pain_point: p.id, delta: -1 }, "Dot taken back"));
    const plus = node("button", "dot-button", "+");
    plus.type = "button";
    plus.setAttribute("aria-label", "Place a dot");
    plus.disabled = state.dots_left === 0;
    plus.addEventListener("click", () => void act("api/dot", { pain_point: p.id, delta: 1 }, "Dot placed"));
    dots.append(minus, node("span", "mine", `${mine} dot${mine === 1 ? "" : "s"}`), plus);
  } else if (mine > 0) {
    dots.append(node("span", "mine", `${mine} dot${mine === 1 ? "" : "s"}`));
  }
  li.append(dots);
  return li;
}

function show(s) {
  state = s;
  el("title").textContent = s.title;
  if (s.closed) return closed();
  const joined = s.participant !== null && s.participant !== undefined;
  el("join").hidden = joined;
  el("room").hidden = !joined;
  el("anonymous-hint").hidden = !s.allow_anonymous;
  if (!joined) return;
  const open = new Set(s.activities);
  el("me").textContent = `You are ${s.participant}` + (s.dots_left !== null && s.dots_left !== undefined ? ` · ${s.dots_left} of ${s.budget} dots left` : "");
  const names = { rating: "rating", voting: "placing dots", pain: "adding pain points" };
  el("open").textContent = open.size ? `Open now: ${[...open].map((a) => names[a] ?? a).join(", ")}` : "Nothing is open just now: wait for the facilitator.";
  const journey = el("journey");
  journey.replaceChildren();
  for (const stage of s.stages) {
    const steps = s.steps.filter((st) => st.stage === stage.id);
    if (!steps.length) continue;
    const section = node("section", "stage");
    section.append(node("h2", "", stage.name));
    const list = node("ul", "steps");
    for (const step of steps) {
      const li = node("li", step.frontstage ? "step" : "step backstage");
      li.dataset.step = step.id;
      const head = node("div", "head");
      head.append(node("span", "title", step.title), node("span", "dept", step.frontstage ? step.department : `${step.department} · backstage`));
      if (step.tally) head.append(node("span", "tally", `score ${step.tally.score ?? "–"} · ${step.tally.ratings} rating${step.tally.ratings === 1 ? "" : "s"}`));
      li.append(head);
      if (step.frontstage && open.has("rating")) li.append(ratingControl(step));
      else if (step.frontstage && s.mine.ratings[step.id] !== undefined) li.append(node("span", "mine", `You rated ${s.mine.ratings[step.id]}`));
      const pains = s.pain_points.filter((p) => p.step === step.id);
      if (pains.length) {
        const ul = node("ul", "pains");
        for (const p of pains) ul.append(painItem(p, open.has("voting")));
        li.append(ul);
      }
      list.append(li);
    }
    section.append(list);
    journey.append(section);
  }
  el("add-pain").hidden = !open.has("pain");
  const select = el("pain-step");
  const keep = select.value;
  select.replaceChildren(...s.steps.map((st) => new Option(st.title, st.id)));
  if (keep) select.value = keep;
  const done = el("done");
  done.textContent = s.done ? "Not done yet" : "I'm done";
  done.classList.toggle("is-done", s.done);
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
