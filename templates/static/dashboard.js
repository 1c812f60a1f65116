// Marquee dashboard, live through Server-Sent Events: the number tiles at once from each `totals`
// event; the charts and tables when a `report` event says a new version exists, fetched from the
// server, which renders each version once for every viewer. No framework, no third-party code.
(() => {
  "use strict";
  const root = document.getElementById("dashboard");
  if (!root || !window.EventSource) return;
  const festival = encodeURIComponent(root.dataset.festival);
  const events = new EventSource("/api/v1/festivals/" + festival + "/events");
  // Offline conflicts, listed again when their number changes.
  const conflicts = root.querySelector("#conflicts");
  // Numbers as the page's language writes them (the server writes them so too, from CLDR).
  const lang = document.documentElement.lang || "en";
  const whole = new Intl.NumberFormat(lang === "en" ? "en-GB" : lang);
  const share = new Intl.NumberFormat(lang === "en" ? "en-GB" : lang, { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 });
  let conflictCount = Number(root.querySelector("[data-total='conflicts']").textContent.replace(/\D/g, ""));
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
  // The live parts (tiles with their words, goal, charts, tables), in the page's language: each
  // element named by `data-live` is replaced by the server's newer one. One fetch at a time; a
  // version announced meanwhile is fetched right after.
  const live = "/admin/festivals/" + festival + "/live?lang=" + encodeURIComponent(document.documentElement.lang || "en");
  let fetching = false;
  let fetchAgain = false;
  function refresh() {
    if (fetching) {
      fetchAgain = true;
      return;
    }
    fetching = true;
    fetch(live, { credentials: "same-origin", cache: "no-store" })
      .then((response) => (response.ok ? response.text().then((html) => [html, response.headers.get("X-Report-Version")]) : null))
      .then((got) => {
        if (got === null) return;
        const fresh = document.createElement("template");
        fresh.innerHTML = got[0];
        for (const part of fresh.content.querySelectorAll("[data-live]")) {
          const here = root.querySelector("[data-live='" + part.dataset.live + "']");
          if (here) here.replaceWith(part);
        }
        if (got[1]) root.dataset.version = got[1];
      })
      .catch(() => {})
      .finally(() => {
        fetching = false;
        if (fetchAgain) {
          fetchAgain = false;
          refresh();
        }
      });
  }
  events.addEventListener("report", (event) => {
    if (String(JSON.parse(event.data).version) !== root.dataset.version) refresh();
  });
  events.addEventListener("totals", (event) => {
    const totals = JSON.parse(event.data);
    if (totals.conflicts !== undefined && totals.conflicts !== conflictCount) {
      conflictCount = totals.conflicts;
      showConflicts().catch(() => {});
    }
    // The numbers now; their words ("1 country", "2 countries") come with the live parts.
    for (const el of root.querySelectorAll("[data-total]")) {
      const value = totals[el.dataset.total];
      if (value !== undefined) el.textContent = whole.format(value);
    }
    for (const el of root.querySelectorAll("[data-rate]")) {
      const value = totals[el.dataset.rate];
      if (value !== undefined) el.textContent = share.format(value);
    }
    const bar = root.querySelector("#progress svg");
    if (bar && totals.attendance_goal > 0) {
      const done = Math.min(1, totals.admitted / totals.attendance_goal);
      bar.querySelectorAll("rect")[1].setAttribute("width", (done * 600).toFixed(1));
      bar.querySelector("text").textContent = whole.format(totals.admitted) + " / " + whole.format(totals.attendance_goal) + " (" + share.format(totals.admitted / totals.attendance_goal) + ")";
    }
  });
})();
