// Marquee dashboard: live totals through Server-Sent Events. No framework, no third-party code.
(() => {
  "use strict";
  const root = document.getElementById("dashboard");
  if (!root || !window.EventSource) return;
  const events = new EventSource("/api/v1/festivals/" + encodeURIComponent(root.dataset.festival) + "/events");
  events.addEventListener("totals", (event) => {
    const totals = JSON.parse(event.data);
    for (const el of root.querySelectorAll("[data-total]")) {
      const value = totals[el.dataset.total];
      if (value !== undefined) el.textContent = value;
    }
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
