// Marquee dashboard: live totals through Server-Sent Events. No framework, no third-party code.
(() => {
  "use strict";
  const root = document.getElementById("dashboard");
  if (!root || !window.EventSource) return;
  const events = new EventSource("/api/v1/festivals/" + encodeURIComponent(root.dataset.festival) + "/events");
  // Offline conflicts, listed again when their number changes.
  const conflicts = root.querySelector("#conflicts");
  let conflictCount = Number(root.querySelector("[data-total='conflicts']").textContent);
  async function showConflicts() {
    const response = await fetch("/api/v1/festivals/" + encodeURIComponent(root.dataset.festival) + "/conflicts", { credentials: "same-origin" });
    if (!response.ok) return;
    const list = await response.json();
    const body = conflicts.querySelector("tbody");
    body.replaceChildren(...list.map((c) => {
      const row = document.createElement("tr");
      for (const text of [c.holder_name || "\u2014", c.film, c.door, c.message]) {
        const cell = document.createElement("td");
        cell.textContent = text;
        row.append(cell);
      }
      return row;
    }));
    conflicts.hidden = list.length === 0;
  }
  // The words around a number ("1 country", "2 countries") are the server's, in the page's
  // language: when a number changes plural form, they are fetched again with the page.
  const plurals = window.Intl && Intl.PluralRules ? new Intl.PluralRules(document.documentElement.lang || "en") : null;
  let rewording = null;
  let rewordAgain = false;
  function reword() {
    if (rewording) {
      rewordAgain = true;
      return;
    }
    rewording = fetch(location.href, { credentials: "same-origin" })
      .then((response) => (response.ok ? response.text() : null))
      .then((html) => {
        if (html === null) return;
        const fresh = new DOMParser().parseFromString(html, "text/html");
        for (const el of root.querySelectorAll("[data-sentence]")) {
          const now = fresh.querySelector("[data-sentence='" + el.dataset.sentence + "']");
          if (now) el.innerHTML = now.innerHTML;
        }
      })
      .catch(() => {})
      .finally(() => {
        rewording = null;
        if (rewordAgain) {
          rewordAgain = false;
          reword();
        }
      });
  }
  events.addEventListener("totals", (event) => {
    const totals = JSON.parse(event.data);
    if (totals.conflicts !== undefined && totals.conflicts !== conflictCount) {
      conflictCount = totals.conflicts;
      showConflicts().catch(() => {});
    }
    let newForm = false;
    for (const el of root.querySelectorAll("[data-total]")) {
      const value = totals[el.dataset.total];
      if (value === undefined) continue;
      const before = Number(el.textContent);
      if (plurals && before !== value && plurals.select(before) !== plurals.select(value)) newForm = true;
      el.textContent = value;
    }
    if (newForm) reword();
    for (const el of root.querySelectorAll("[data-rate]")) {
      const value = totals[el.dataset.rate];
      if (value !== undefined) el.textContent = (value * 100).toFixed(1) + "%";
    }
    const bar = root.querySelector("#progress svg");
    if (bar && totals.attendance_goal > 0) {
      const share = Math.min(1, totals.admitted / totals.attendance_goal);
      bar.querySelectorAll("rect")[1].setAttribute("width", (share * 600).toFixed(1));
      bar.querySelector("text").textContent = totals.admitted + " / " + totals.attendance_goal + " (" + (totals.admitted * 100 / totals.attendance_goal).toFixed(1) + "%)";
    }
  });
})();
