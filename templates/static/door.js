// Marquee door page. No framework, no third-party code.
// Scanner input: a USB/Bluetooth scanner types the code into the focused field and presses Enter.
// Camera: BarcodeDetector where the browser has it; otherwise frames are decoded by the server.
// A scan that hits a network error is retried with the same nonce, so it is never counted twice.
(() => {
  "use strict";
  const root = document.getElementById("door");
  if (!root) return;
  const mode = root.dataset.mode;
  const target = root.dataset.target;
  let screening = root.dataset.screening;

  const form = document.getElementById("scan-form");
  const input = document.getElementById("code");
  const box = document.getElementById("verdict");
  const network = document.getElementById("network");
  const doorName = document.getElementById("door-name");
  const undo = document.getElementById("undo");
  const history = document.getElementById("history");
  const admittedEl = document.getElementById("admitted");
  const capacityEl = document.getElementById("capacity");

  // Each device names its door once (kept on the device): the scan log says which door admitted
  // whom, so there is no shared default name.
  doorName.value = localStorage.getItem("marquee.door") || "";
  doorName.addEventListener("input", () => {
    const name = doorName.value.trim();
    if (name) localStorage.setItem("marquee.door", name);
    else localStorage.removeItem("marquee.door");
  });
  function needsName() {
    if (doorName.value.trim()) return false;
    show("warn", "warning", "Name this door first", "Type the door's name (e.g. \u201cPath\u00e9 door 1\u201d) below; then scan again.");
    doorName.focus();
    beep(false);
    return true;
  }

  // Each verdict's look, and what the door does about it: refusals that need another action
  // (send them to the right screening, or back later) look different from plain refusals.
  const LOOK = {
    admitted: ["ok", "check"], annulled: ["warn", "undo"],
    already_admitted: ["bad", "cross"], cancelled: ["bad", "cross"], invalid: ["bad", "cross"],
    unknown: ["bad", "question"], wrong_screening: ["redirect", "arrow"], too_early: ["redirect", "clock"],
    too_late: ["warn", "clock"],
  };
  const ACTION = {
    admitted: "Let them in", annulled: "The ticket can be scanned again",
    already_admitted: "Refuse", cancelled: "Refuse", invalid: "Refuse",
    unknown: "Call an organiser", wrong_screening: "Redirect them", too_early: "Redirect them: come back later",
    too_late: "Refuse, or ask an organiser",
  };
  // Icons as SVG paths (emoji such as the stopwatch are missing from many devices' fonts).
  const ICONS = {
    check: '<path d="M4 12.5l5 5L20 6.5"/>',
    cross: '<path d="M6 6l12 12M18 6L6 18"/>',
    clock: '<circle cx="12" cy="12" r="9"/><path d="M12 7v5l3.5 2.5"/>',
    question: '<path d="M9 9.2a3 3 0 1 1 4.2 2.7c-.8.4-1.2 1-1.2 1.9V15"/><path d="M12 18.5v.1"/>',
    undo: '<path d="M9 14L4 9l5-5"/><path d="M4 9h10.5a5.5 5.5 0 0 1 0 11H11"/>',
    warning: '<path d="M12 3.5L2.5 20h19z"/><path d="M12 10v4.5M12 17.5v.1"/>',
    scan: '<path d="M4 8V4h4M16 4h4v4M20 16v4h-4M8 20H4v-4M7 12h10"/>',
    arrow: '<path d="M4 12h15M13 6l6 6-6 6"/>',
  };
  function icon(name) {
    return '<svg viewBox="0 0 24 24" width="56" height="56" fill="none" stroke="currentColor" stroke-width="2.5" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">' + (ICONS[name] || ICONS.cross) + "</svg>";
  }
  const HEADLINE = {
    admitted: "Admitted", annulled: "Admission undone", already_admitted: "Already admitted",
    wrong_screening: "Wrong screening", cancelled: "Cancelled ticket", invalid: "Invalid code",
    unknown: "Unknown ticket", too_early: "Too early", too_late: "Too late",
  };

  // Sounds: a rising double beep for "admitted", a low buzz for everything else.
  let audio;
  function beep(ok) {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      const tones = ok ? [[880, 0, 0.09], [1320, 0.11, 0.12]] : [[196, 0, 0.35]];
      for (const [freq, start, length] of tones) {
        const osc = audio.createOscillator();
        const gain = audio.createGain();
        osc.type = ok ? "sine" : "square";
        osc.frequency.value = freq;
        gain.gain.value = 0.15;
        osc.connect(gain).connect(audio.destination);
        osc.start(audio.currentTime + start);
        osc.stop(audio.currentTime + start + length);
      }
    } catch (_) { /* no audio on this device */ }
  }

  function show(kind, iconName, headline, detail, action) {
    box.className = "verdict " + kind;
    box.querySelector(".icon").innerHTML = icon(iconName);
    box.querySelector(".headline").textContent = headline;
    box.querySelector(".action").textContent = action || "";
    box.querySelector(".detail").textContent = detail;
  }

  // The venue's 24-hour time, whatever the device's locale and zone.
  function clock(date) {
    const options = { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" };
    try {
      return date.toLocaleTimeString("en-GB", { ...options, timeZone: root.dataset.timezone });
    } catch (_) {
      return date.toLocaleTimeString("en-GB", options);
    }
  }

  function record(kind, text) {
    const item = document.createElement("li");
    item.className = kind;
    item.textContent = clock(new Date()) + " — " + text;
    history.prepend(item);
    while (history.children.length > 12) history.lastChild.remove();
  }

  // After a few seconds the box returns to "Ready", so the next person never reads the previous
  // verdict (seconds: the page's data-fade, or `localStorage["marquee.fade"]`; 0 keeps it).
  const fadeSeconds = Number(localStorage.getItem("marquee.fade") || root.dataset.fade || 6);
  let fadeTimer;
  function ready() {
    show("idle", "scan", "Ready to scan", "Scanner or camera: each code is checked at once.");
  }
  if (!doorName.value.trim()) {
    show("warn", "warning", "Name this door first", "Type the door's name (e.g. \u201cPath\u00e9 door 1\u201d) below; this device keeps it.");
  }
  function fadeLater() {
    clearTimeout(fadeTimer);
    if (fadeSeconds > 0) fadeTimer = setTimeout(ready, fadeSeconds * 1000);
  }

  let undoTimer;
  function showAnswer(answer) {
    const [kind, iconName] = LOOK[answer.verdict] || ["bad", "cross"];
    const parts = [];
    if (answer.ticket) parts.push(answer.ticket.holder_name + " · " + answer.ticket.category + " · seat " + answer.ticket.seat_number + "/" + answer.ticket.seats);
    if (answer.message) parts.push(answer.message);
    show(kind, iconName, HEADLINE[answer.verdict] || answer.verdict, parts.join(" — "), ACTION[answer.verdict]);
    fadeLater();
    record(kind, (HEADLINE[answer.verdict] || answer.verdict) + (answer.ticket ? " · " + answer.ticket.holder_name : ""));
    beep(answer.verdict === "admitted");
    // The counter follows the screening being admitted; a refusal for another screening (too
    // early for tonight's second film, say) does not move it.
    if (answer.screening && answer.screening.id === screening) {
      setCounter(answer.admitted, answer.capacity);
    } else if (answer.screening && answer.verdict === "admitted") {
      screening = answer.screening.id;
      setCounter(answer.admitted, answer.capacity);
      if (mode === "venue") {
        const subtitle = document.getElementById("door-subtitle");
        if (subtitle) subtitle.textContent = "Now admitting for " + answer.screening.film + ", " + answer.screening.local_time;
      }
      listen();
    }
    clearTimeout(undoTimer);
    undo.hidden = answer.verdict !== "admitted";
    if (answer.verdict === "admitted") {
      undo.dataset.scan = answer.scan_id;
      undoTimer = setTimeout(() => { undo.hidden = true; }, 115000);
    }
  }

  function setCounter(admitted, capacity) {
    admittedEl.textContent = admitted;
    capacityEl.textContent = capacity;
  }

  function newNonce() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  // Sends one request; network failures are retried with the very same body (same nonce).
  async function send(url, body) {
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await fetch(url, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "Accept": "application/json" },
          body: JSON.stringify(body),
        });
        network.textContent = attempt > 1 ? "Connection back: answered after " + attempt + " tries (counted once)." : "";
        let json = {};
        try { json = await response.json(); } catch (_) { /* not JSON */ }
        return { status: response.status, json };
      } catch (_) {
        if (attempt >= 30) {
          network.textContent = "No connection: that code was NOT checked. Scan it again when the network is back.";
          return null;
        }
        network.textContent = "Network problem — retrying the same scan (try " + (attempt + 1) + ")…";
        show("warn", "warning", "No connection", "Retrying the same scan; it will be counted once.");
        await sleep(Math.min(400 * attempt, 3000));
      }
    }
  }

  function problem(status, json) {
    const message = (json && json.message) || "The server refused the request.";
    if (status === 401) {
      show("bad", "warning", "Signed out", "This device's credential is no longer valid (signed out or revoked).", "Sign in again");
      network.innerHTML = 'This device is signed out: <a href="/signin">sign in again</a> to keep scanning.';
    }
    else show("bad", "warning", "Not checked", message);
    fadeLater();
    beep(false);
  }

  async function scan(code) {
    if (needsName()) return;
    const body = { code, door: doorName.value.trim(), nonce: newNonce(), scanned_at: new Date().toISOString() };
    body[mode === "venue" ? "venue_id" : "screening_id"] = target;
    clearTimeout(fadeTimer);
    show("idle", "clock", "Checking…", "");
    const result = await send("/api/v1/scans", body);
    if (!result) return;
    if (result.status === 200) showAnswer(result.json);
    else problem(result.status, result.json);
  }

  // One scan at a time, in the order they were read; a bad code never stops the queue.
  let queue = Promise.resolve();
  function enqueue(code) {
    code = code.trim();
    if (!code) return;
    queue = queue.then(() => scan(code)).catch((error) => {
      show("bad", "warning", "Not checked", String(error));
    });
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const code = input.value;
    input.value = "";
    enqueue(code);
  });

  // Keep the scanner's field focused, unless staff are using another control.
  input.addEventListener("blur", () => {
    setTimeout(() => {
      const active = document.activeElement;
      if (!active || active === document.body) input.focus();
    }, 150);
  });

  undo.addEventListener("click", async () => {
    const scanId = undo.dataset.scan;
    undo.hidden = true;
    const result = await send("/api/v1/scans/" + encodeURIComponent(scanId) + "/annul", {});
    if (result && result.status === 200) showAnswer(result.json);
    else if (result) problem(result.status, result.json);
    input.focus();
  });

  // Live counter from every door, through Server-Sent Events.
  let events;
  function listen() {
    if (events) events.close();
    if (!screening || !window.EventSource) return;
    events = new EventSource("/api/v1/screenings/" + encodeURIComponent(screening) + "/events");
    events.addEventListener("counters", (event) => {
      const counters = JSON.parse(event.data);
      setCounter(counters.admitted, counters.capacity);
    });
  }
  listen();

  // Camera scanning.
  const video = document.getElementById("camera");
  const canvas = document.getElementById("frame");
  const toggle = document.getElementById("camera-toggle");
  let stream = null;
  let lastCode = "";
  let lastAt = 0;

  function found(code) {
    const now = Date.now();
    if (code === lastCode && now - lastAt < 3000) return; // the same ticket still in view
    lastCode = code;
    lastAt = now;
    enqueue(code);
  }

  async function cameraLoop() {
    const detector = "BarcodeDetector" in window ? new window.BarcodeDetector({ formats: ["qr_code"] }) : null;
    while (stream) {
      try {
        if (video.readyState >= 2) {
          if (detector) {
            const codes = await detector.detect(video);
            if (codes.length) found(codes[0].rawValue);
          } else {
            canvas.width = video.videoWidth;
            canvas.height = video.videoHeight;
            canvas.getContext("2d").drawImage(video, 0, 0);
            const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.8));
            const response = await fetch("/api/v1/decode", { method: "POST", credentials: "same-origin", headers: { "Content-Type": "image/jpeg" }, body: blob });
            if (response.ok) {
              const json = await response.json();
              if (json.code) found(json.code);
            }
          }
        }
      } catch (_) { /* a bad frame or a network blip: keep reading */ }
      await sleep(detector ? 150 : 450);
    }
  }

  toggle.addEventListener("click", async () => {
    if (stream) {
      stream.getTracks().forEach((track) => track.stop());
      stream = null;
      video.hidden = true;
      toggle.textContent = "Use camera";
      input.focus();
      return;
    }
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
      video.srcObject = stream;
      video.hidden = false;
      await video.play();
      toggle.textContent = "Stop camera";
      cameraLoop();
    } catch (error) {
      stream = null;
      show("warn", "warning", "No camera", "The camera could not be opened: " + error.message);
    }
  });
})();
