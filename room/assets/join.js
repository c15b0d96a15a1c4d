// The room code to the join URL: the server answers with it, or refuses.
"use strict";
document.getElementById("f").addEventListener("submit", async (e) => {
  e.preventDefault();
  const msg = document.getElementById("msg");
  msg.textContent = "Looking…";
  try {
    const r = await fetch("/join", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code: document.getElementById("code").value }) });
    const body = await r.json();
    if (r.ok && body.url) location.href = body.url;
    else msg.textContent = body.error?.message === "there is no room here" ? "No room has that code." : (body.error?.message ?? "No room has that code.");
  } catch {
    msg.textContent = "The room could not be reached.";
  }
});
