// Marquee door page. No framework, no third-party code.
// Scanner input: a USB/Bluetooth scanner types the code into the focused field and presses Enter.
// Camera: BarcodeDetector where the browser has it; otherwise frames are decoded by the server.
// Without the network the page keeps admitting: see door-offline.js and docs/door.md.
(() => {
  "use strict";
  const root = document.getElementById("door");
  if (!root) return;
  const mode = root.dataset.mode;
  // Every sentence this page shows, in the page's language (rendered by the server from the
  // Fluent files; "{n}"-style slots are filled here).
  const TEXT = JSON.parse(root.dataset.text || "{}");
  const LOCALE = document.documentElement.lang === "en" ? "en-GB" : document.documentElement.lang || "en-GB";
  function tr(key, slots) {
    let text = TEXT[key] || key;
    for (const name in slots || {}) text = text.split("{" + name + "}").join(String(slots[name]));
    return text;
  }
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
  // whom, so there is no shared default name. A ticket code is never a door's name: a scanner
  // typing into this field by mistake ends its code with Enter, and then the code is scanned
  // and the name stays what it was.
  doorName.value = localStorage.getItem("marquee.door") || "";
  // A run of the code alphabet (upper-case base32, after the format's "1") with a digit: no
  // door's name has one.
  function codeIn(text) {
    const runs = text.match(/1?[A-Z2-7]{16,}/g) || [];
    return runs.find((run) => /[2-7]/.test(run)) || null;
  }
  // `settled`: typing is over (Enter, or the field left), so the field may be tidied too.
  function keepName(settled) {
    const typed = doorName.value;
    const code = codeIn(typed);
    if (code) {
      // The rest was being typed as the name (or is the name kept already), wherever the code
      // went in: the caret may have stood anywhere in the field.
      const rest = typed.replace(code, "").replace(/\s+/g, " ").trim();
      const name = rest && !codeIn(rest) ? rest.slice(0, 60) : localStorage.getItem("marquee.door") || "";
      doorName.value = name;
      if (name) localStorage.setItem("marquee.door", name);
      if (name) enqueue(code);
      else show("warn", "warning", tr("door-js-name-is-code"), tr("door-js-name-first-kept"));
      return;
    }
    // No `maxlength` on the field (a scanner's code typed into it must arrive whole): the name's
    // limit is kept here, as the server's.
    const name = typed.trim().slice(0, 60);
    if (settled) doorName.value = name;
    if (name) localStorage.setItem("marquee.door", name);
    else localStorage.removeItem("marquee.door");
  }
  // Typed by hand, the name is kept as it is typed; not once a code is in it (a code's first
  // characters may be kept for a moment, until its Enter puts the name back).
  doorName.addEventListener("input", () => {
    if (!codeIn(doorName.value)) keepName(false);
  });
  doorName.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    keepName(true);
    if (doorName.value.trim()) {
      input.focus();
      if (box.classList.contains("warn") && !codeIn(doorName.value)) ready();
    }
  });
  doorName.addEventListener("change", () => keepName(true));
  function needsName() {
    if (doorName.value.trim()) return false;
    show("warn", "warning", tr("door-js-name-first"), tr("door-js-name-first-then-scan"));
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
    too_late: ["warn", "clock"], room_full: ["bad", "cross"], standby: ["ok", "check"],
    no_reservation: ["bad", "cross"], not_valid_for_screening: ["bad", "cross"],
  };
  const ACTION = {
    admitted: tr("door-js-action-admit"), annulled: tr("door-js-action-annulled"),
    already_admitted: tr("door-js-action-refuse"), cancelled: tr("door-js-action-refuse"), invalid: tr("door-js-action-refuse"),
    unknown: tr("door-js-action-call-organiser"), wrong_screening: tr("door-js-action-redirect"), too_early: tr("door-js-action-come-back"),
    too_late: tr("door-js-action-refuse-or-ask"), room_full: tr("door-js-action-room-full"),
    standby: tr("door-js-action-standby"),
    no_reservation: tr("door-js-action-refuse-or-ask"), not_valid_for_screening: tr("door-js-action-refuse"),
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
    admitted: tr("verdict-admitted"), annulled: tr("verdict-annulled"), already_admitted: tr("verdict-already-admitted"),
    wrong_screening: tr("verdict-wrong-screening"), cancelled: tr("verdict-cancelled"), invalid: tr("verdict-invalid"),
    unknown: tr("verdict-unknown"), too_early: tr("verdict-too-early"), too_late: tr("verdict-too-late"), room_full: tr("verdict-room-full"),
    no_reservation: tr("verdict-no-reservation"), not_valid_for_screening: tr("verdict-not-valid-for-screening"),
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
    box.querySelector(".mode").textContent = "";
    photo.hidden = true;
    photo.removeAttribute("src");
  }
  // A festival pass's holder's photo, beside the verdict (online: the list carries no photos).
  const photo = box.querySelector(".photo");
  function showPhoto(pass) {
    if (!pass || !pass.photo_url || !online) return;
    photo.alt = tr("door-js-photo-of", { name: pass.holder_name });
    photo.src = pass.photo_url;
    photo.hidden = false;
  }

  // The venue's 24-hour time, whatever the device's locale and zone.
  function clock(date) {
    const options = { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" };
    try {
      return date.toLocaleTimeString(LOCALE, { ...options, timeZone: root.dataset.timezone });
    } catch (_) {
      return date.toLocaleTimeString(LOCALE, options);
    }
  }

  // The recent scans, kept on the device with the door: a reload (offline too) shows them again.
  const recentKey = "marquee.recent." + mode + ":" + target;
  function showRecent(kind, line) {
    const item = document.createElement("li");
    item.className = kind;
    item.textContent = line;
    history.prepend(item);
    while (history.children.length > 12) history.lastChild.remove();
  }
  function record(kind, text) {
    const line = clock(new Date()) + " — " + text;
    showRecent(kind, line);
    try {
      const kept = JSON.parse(localStorage.getItem(recentKey) || "[]");
      kept.push([kind, line]);
      localStorage.setItem(recentKey, JSON.stringify(kept.slice(-12)));
    } catch (_) { /* storage full or unavailable: the list still shows */ }
  }
  try {
    for (const [kind, line] of JSON.parse(localStorage.getItem(recentKey) || "[]")) showRecent(kind, line);
  } catch (_) { /* nothing kept */ }

  // After a few seconds the box returns to "Ready", so the next person never reads the previous
  // verdict (seconds: the page's data-fade, or `localStorage["marquee.fade"]`; 0 keeps it).
  const fadeSeconds = Number(localStorage.getItem("marquee.fade") || root.dataset.fade || 6);
  let fadeTimer;
  function ready() {
    show("idle", "scan", tr("door-js-ready"), tr("door-js-ready-detail"));
  }
  if (!doorName.value.trim()) {
    show("warn", "warning", tr("door-js-name-first"), tr("door-js-name-first-kept"));
  }
  function fadeLater() {
    clearTimeout(fadeTimer);
    if (fadeSeconds > 0) fadeTimer = setTimeout(ready, fadeSeconds * 1000);
  }

  const modeLine = box.querySelector(".mode");
  let undoTimer;
  function showAnswer(answer, code) {
    // A code cut short in reading is no verdict on the ticket: the headline says to scan again.
    if (answer.verdict === "invalid" && code && offline.parse(code).error === "incomplete") {
      show("warn", "scan", tr("door-js-scan-again"), tr("door-js-incomplete"), tr("door-js-action-scan-again"));
      fadeLater();
      record("warn", tr("door-js-scan-again"));
      beep(false);
      return;
    }
    const [kind, iconName] = LOOK[answer.verdict] || ["bad", "cross"];
    const parts = [];
    if (answer.pass) {
      // A festival pass: whose, which kind (the door checks the badge against it).
      const p = answer.pass;
      const category = TEXT["pass-category-" + p.category] || p.category;
      parts.push([p.holder_name, category, p.organisation].filter(Boolean).join(" · "));
    } else if (answer.ticket) {
      const t = answer.ticket;
      const category = t.category ? TEXT["category-" + t.category] || t.category : "";
      parts.push(t.holder_name + (category ? " · " + category : "") + (t.seats ? " · " + tr("door-js-seat", { seat: t.seat_number, seats: t.seats }) : ""));
    }
    if (answer.message) parts.push(answer.message);
    // At a venue's door, which film and room to send them to (several may be open at once).
    const where = mode === "venue" && answer.verdict === "admitted" && answer.screening
      ? " → " + answer.screening.film + " · " + answer.screening.room : "";
    show(kind, iconName, HEADLINE[answer.verdict] || answer.verdict, parts.join(" — ") + where, ACTION[answer.verdict]);
    if (!answer.offline) showPhoto(answer.pass);
    if (answer.screening) venueCounter(answer.screening.id, answer.admitted, answer.capacity);
    // A verdict decided on this device says so, on the verdict itself.
    box.classList.toggle("offline", Boolean(answer.offline));
    modeLine.textContent = answer.offline ? tr("door-js-decided-offline") : "";
    fadeLater();
    const holder = answer.pass ? answer.pass.holder_name : answer.ticket ? answer.ticket.holder_name : "";
    record(kind, (answer.offline ? "[" + tr("door-js-offline-tag") + "] " : "") + (HEADLINE[answer.verdict] || answer.verdict) + (holder ? " · " + holder : ""));
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
        if (subtitle) subtitle.textContent = tr("door-js-now-admitting", { film: answer.screening.film, time: answer.screening.local_time });
      }
      listen();
    }
    clearTimeout(undoTimer);
    // Undo needs the server: an offline admission is settled when it is uploaded.
    undo.hidden = answer.verdict !== "admitted" || Boolean(answer.offline);
    if (!undo.hidden) {
      undo.dataset.scan = answer.scan_id;
      undoTimer = setTimeout(() => { undo.hidden = true; }, 115000);
    }
  }

  function setCounter(admitted, capacity) {
    admittedEl.textContent = admitted;
    capacityEl.textContent = capacity;
  }
  // Each open screening's own counter, in a venue door's header.
  function venueCounter(id, admitted, capacity) {
    const line = document.querySelector("#venue-screenings li[data-screening='" + CSS.escape(id) + "']");
    if (!line || admitted === undefined) return;
    line.querySelector(".admitted").textContent = admitted;
    line.querySelector(".capacity").textContent = capacity;
  }

  // A UUIDv7: the time in milliseconds, then random bits. Nonces that grow with time keep the
  // server's nonce index growing at its end (one sequential page per scan, not a random one).
  function newNonce() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    let ms = Date.now();
    for (let i = 5; i >= 0; i--) {
      bytes[i] = ms % 256;
      ms = Math.floor(ms / 256);
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x70;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  // One request, given a few seconds: a venue's wifi can hang rather than fail. `null` when the
  // server could not be reached (the caller decides offline, under the same nonce).
  async function request(method, url, body, headers) {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), 3000);
    try {
      const response = await fetch(url, {
        method,
        credentials: "same-origin",
        cache: "no-store",
        signal: abort.signal,
        headers: { "Accept": "application/json", ...(body ? { "Content-Type": "application/json" } : {}), ...(headers || {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      let json = {};
      try { json = await response.json(); } catch (_) { /* not JSON (or 304) */ }
      return { status: response.status, json, etag: response.headers.get("ETag") };
    } catch (_) {
      return null;
    } finally {
      clearTimeout(timer);
    }
  }

  function problem(status, json) {
    const message = (json && json.message) || tr("door-js-refused");
    if (status === 401) signedOut();
    else show("bad", "warning", tr("door-js-not-checked"), message);
    fadeLater();
    beep(false);
  }

  function signedOut() {
    show("bad", "warning", tr("door-js-signed-out"), tr("door-js-signed-out-detail"), tr("door-js-sign-in-again"));
    network.textContent = tr("door-js-signed-out-network") + " ";
    const link = document.createElement("a");
    link.href = "/signin";
    link.textContent = tr("door-js-sign-in-again");
    network.append(link);
  }

  // --- Offline mode --------------------------------------------------------------------------
  // While the server answers, it decides every scan. When it cannot be reached, this device
  // decides from its ticket list (signatures checked here) and queues the scan; the queue is
  // uploaded, in order, as soon as the server answers again. See door-offline.js.
  const offline = window.MarqueeOffline;
  const doorKey = mode + ":" + target;
  const syncStatus = document.getElementById("sync-status");
  const conflictList = document.getElementById("conflicts");
  let online = navigator.onLine !== false;
  let view = null; // the ticket list and this device's admissions
  let keys = null; // the list's public keys, for WebCrypto
  let listAt = null; // when the list was last confirmed by the server
  let pending = 0; // scans waiting to upload
  let clockSkew = 0; // seconds this device's clock is ahead of the server's, as the last upload measured

  // Browsers give the camera, service workers and WebCrypto only to secure pages (HTTPS, or this
  // computer's own localhost): on a plain-HTTP address the page says so once, up front, and never
  // offers what it cannot do.
  const secure = window.isSecureContext !== false;
  if (!secure) document.getElementById("insecure").hidden = false;

  function setOnline(value) {
    if (online === value) return;
    online = value;
    if (online) {
      network.textContent = "";
      syncNow();
    } else {
      network.textContent = tr(secure ? "door-js-no-connection" : "door-js-no-connection-insecure");
    }
    status();
  }

  async function status() {
    try { pending = await offline.store.queuedCount(); } catch (_) { /* storage unavailable */ }
    const parts = [online ? tr("door-js-online") : tr(secure ? "door-js-offline" : "door-js-offline-insecure")];
    parts.push(pending === 0 ? tr("door-js-all-uploaded") : pending === 1 ? tr("door-js-one-waits") : tr("door-js-many-wait", { n: pending }));
    parts.push(listAt ? tr("door-js-list-refreshed", { time: clock(listAt) }) : tr("door-js-no-list"));
    if (view && !keys) parts.push(tr("door-js-no-webcrypto"));
    // The server corrects the times of the scans it receives; a clock a minute off is still
    // worth setting right (it is what this device shows and decides by while offline).
    if (Math.abs(clockSkew) >= 60) {
      const minutes = Math.round(Math.abs(clockSkew) / 60);
      parts.push(tr(clockSkew > 0 ? "door-js-clock-ahead" : "door-js-clock-behind", { minutes }));
    }
    syncStatus.textContent = parts.join(" · ");
    syncStatus.classList.toggle("offline", !online || pending > 0);
  }

  async function adopt(record) {
    const admissions = await offline.store.admissions();
    view = offline.picture(record.bundle, admissions);
    keys = await offline.importKeys(record.bundle);
    listAt = new Date(record.fetchedAt);
    // The page may come from the device (offline): its counter is as old as the page. This
    // device's own admissions, and the list's, are at least what it knows.
    if (screening) {
      const known = offline.admittedTo(view, screening);
      if (known > Number(admittedEl.textContent)) setCounter(known, capacityEl.textContent);
    }
  }

  // The list kept on this device, then a fresh one when the server answers (conditional GET).
  async function refreshList() {
    let record = null;
    try { record = await offline.store.bundle(doorKey); } catch (_) { return; }
    if (record && !view) await adopt(record);
    const url = "/api/v1/door/bundle?" + (mode === "venue" ? "venue_id=" : "screening_id=") + encodeURIComponent(target);
    const answer = await request("GET", url, null, record && record.etag ? { "If-None-Match": record.etag } : {});
    if (!answer) { setOnline(false); return; }
    setOnline(true);
    if (answer.status === 401) { signedOut(); return; }
    if (answer.status === 304 && record) {
      record.fetchedAt = new Date().toISOString();
    } else if (answer.status === 200) {
      record = { door: doorKey, etag: answer.etag, fetchedAt: new Date().toISOString(), bundle: answer.json };
      // What the server now knows was admitted no longer needs this device's own note.
      const known = offline.shownAdmissions(answer.json);
      await offline.store.prune(known, new Date(Date.now() - 2 * 86400000).toISOString());
    } else {
      return;
    }
    await offline.store.saveBundle(record);
    await adopt(record);
    status();
  }

  // Uploads the queued scans, oldest first, 500 at a time. Conflicts are shown to this door.
  let syncing = null;
  // The device's clock goes with every upload: the server reads the scans' times on its own.
  const syncBody = (queued) => ({ scans: queued.map((q) => q.scan), device_time: new Date().toISOString() });
  function measured(answer) {
    if (typeof answer.json.clock_skew_seconds === "number") clockSkew = answer.json.clock_skew_seconds;
  }
  function syncNow() {
    syncing = syncing || upload().finally(() => { syncing = null; status(); });
    return syncing;
  }
  async function upload() {
    for (;;) {
      const queued = (await offline.store.queued()).slice(0, 500);
      if (!queued.length) return;
      const answer = await request("POST", "/api/v1/scans/sync", syncBody(queued));
      if (!answer) { setOnline(false); return; }
      if (answer.status === 401) { signedOut(); return; }
      if (answer.status === 200) {
        measured(answer);
        for (const result of answer.json.results) if (result.conflict) conflict(result);
        await offline.store.dequeue(queued.map((q) => q.seq));
      } else if (!(await uploadOneByOne(queued))) {
        return;
      }
      await refreshList();
    }
  }
  // A batch the server refused: each scan alone, so one it can never accept does not hold the
  // others back. Returns false when the server could not be reached.
  async function uploadOneByOne(queued) {
    for (const q of queued) {
      const answer = await request("POST", "/api/v1/scans/sync", syncBody([q]));
      if (!answer || answer.status >= 500) { setOnline(false); return false; }
      if (answer.status === 200) {
        measured(answer);
        for (const result of answer.json.results) if (result.conflict) conflict(result);
      } else {
        record("bad", tr("door-js-upload-refused", { time: clock(new Date(q.scan.scanned_at)) }) + " " + (answer.json.message || answer.status));
      }
      await offline.store.dequeue([q.seq]);
    }
    return true;
  }

  function conflict(result) {
    const item = document.createElement("li");
    item.textContent = (result.ticket ? result.ticket.holder_name + ": " : "") + result.message;
    conflictList.prepend(item);
    conflictList.closest("section").hidden = false;
    record("bad", tr("door-js-conflict") + " · " + (result.ticket ? result.ticket.holder_name : result.message));
  }

  async function decideHere(body) {
    if (!secure) {
      show("warn", "warning", tr("door-js-not-checked"), tr("door-js-no-connection-insecure"), tr("door-js-action-reconnect"));
      fadeLater();
      beep(false);
      return;
    }
    if (!view) {
      show("warn", "warning", tr("door-js-not-checked"), tr("door-js-no-list-detail"), tr("door-js-action-call-organiser"));
      fadeLater();
      beep(false);
      return;
    }
    if (!keys) {
      show("warn", "warning", tr("door-js-not-checked"), tr("door-js-no-webcrypto-detail"), tr("door-js-action-call-organiser"));
      fadeLater();
      beep(false);
      return;
    }
    const answer = await offline.decide(view, keys, body.code, { mode, target, name: body.door }, new Date(body.scanned_at));
    const scan = { ...body, offline_verdict: answer.verdict };
    await offline.store.record({ scan }, answer.admission || null);
    delete answer.admission;
    showAnswer(answer, body.code);
    status();
  }

  async function scan(code) {
    if (needsName()) return;
    const body = { code, door: doorName.value.trim(), nonce: newNonce(), scanned_at: new Date().toISOString() };
    body[mode === "venue" ? "venue_id" : "screening_id"] = target;
    clearTimeout(fadeTimer);
    // Scans decided offline reach the server before any newer one.
    if (online && pending > 0) await syncNow();
    if (!online) return decideHere(body);
    show("idle", "clock", tr("door-js-checking"), "");
    const result = await request("POST", "/api/v1/scans", body);
    if (!result) {
      // Not answered: decided here under the same nonce. If the request did reach the server,
      // the upload replays the server's answer (counted once).
      setOnline(false);
      return decideHere(body);
    }
    if (result.status === 200) {
      const answer = result.json;
      if (answer.verdict === "admitted" && answer.ticket) {
        // A festival pass's admission is kept under the pass (its seat may be a walk-in's, which
        // the list does not show yet): the same pass is not let in twice here, online or not.
        const key = answer.pass ? offline.passKey(answer.pass.id, answer.screening.id) : answer.ticket.id;
        const admission = { ticket: key, ticket_id: answer.ticket.id, screening: answer.screening.id, at: new Date().toISOString(), door: body.door };
        if (view) view.mine.set(admission.ticket, admission);
        offline.store.admit(admission).catch(() => {});
      }
      showAnswer(answer, body.code);
    } else if (result.status >= 500) {
      // The server is there but cannot decide now (overloaded, restarting): decide here.
      setOnline(false);
      return decideHere(body);
    } else {
      problem(result.status, result.json);
    }
  }

  // While offline, ask the server every few seconds whether it is back.
  setInterval(async () => {
    if (online) return;
    const answer = await request("GET", "/healthz");
    if (answer && answer.status === 200) {
      setOnline(true);
      refreshList();
    }
  }, 5000);
  // And refresh the list every minute while online (a conditional GET: 304 when unchanged).
  setInterval(() => { if (online) refreshList(); }, 60000);
  window.addEventListener("offline", () => setOnline(false));
  window.addEventListener("online", () => setOnline(true));
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/door/sw.js", { scope: "/door" })
      .then(() => navigator.serviceWorker.ready)
      .then((registration) => registration.active.postMessage({ keep: location.pathname }))
      .catch(() => {
        network.textContent = tr("door-js-no-service-worker");
      });
  }
  refreshList().then(syncNow);
  status();

  // One scan at a time, in the order they were read; a bad code never stops the queue.
  let queue = Promise.resolve();
  function enqueue(code) {
    code = code.trim();
    if (!code) return;
    queue = queue.then(() => scan(code)).catch((error) => {
      show("bad", "warning", tr("door-js-not-checked"), String(error));
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
    const result = await request("POST", "/api/v1/scans/" + encodeURIComponent(scanId) + "/annul", {});
    if (!result) {
      show("warn", "warning", tr("door-js-not-undone"), tr("door-js-not-undone-detail"));
      fadeLater();
    } else if (result.status === 200) {
      if (result.json.ticket) {
        // This device's note of the admission undone (kept under the ticket, or under its pass).
        const id = result.json.ticket.id;
        let kept = view ? [...view.mine.values()] : [];
        if (!view) try { kept = await offline.store.admissions(); } catch (_) { /* storage unavailable */ }
        const keys = kept.filter((a) => a.ticket === id || a.ticket_id === id).map((a) => a.ticket);
        for (const key of keys.length ? keys : [id]) {
          if (view) view.mine.delete(key);
          offline.store.forget(key).catch(() => {});
        }
      }
      showAnswer(result.json);
    } else {
      problem(result.status, result.json);
    }
    input.focus();
  });

  // The standby line (when the screening has one): hand out numbers, admit them in order.
  const standbyBox = document.getElementById("standby");
  const standbyStatus = document.getElementById("standby-status");
  const slip = document.getElementById("standby-slip");
  function showStandby(line) {
    standbyBox.hidden = !line.enabled;
    if (!line.enabled) return;
    const parts = [tr(line.released ? "door-js-standby-open-since" : "door-js-standby-opens-at", { time: line.release_local_time })];
    parts.push(line.seats_for_standby === 1 ? tr("door-js-standby-one-seat") : tr("door-js-standby-seats", { n: line.seats_for_standby }));
    parts.push(tr("door-js-standby-waiting", { n: line.waiting }) + (line.next_number ? ", " + tr("door-js-standby-next", { number: "#" + line.next_number }) : ""));
    parts.push(tr("door-js-standby-admitted", { n: line.standby_admitted }));
    standbyStatus.textContent = parts.join(" · ");
  }
  async function refreshStandby() {
    if (!screening || !online) return;
    const answer = await request("GET", "/api/v1/screenings/" + encodeURIComponent(screening) + "/standby");
    if (answer && answer.status === 200) showStandby(answer.json);
  }
  async function standbyCall(what) {
    if (what !== "numbers" && needsName()) return;
    const body = what === "numbers" ? {} : { door: doorName.value.trim() };
    const answer = await request("POST", "/api/v1/screenings/" + encodeURIComponent(screening) + "/standby/" + what, body);
    if (!answer) {
      show("warn", "warning", tr("door-js-not-done"), tr("door-js-standby-needs-server"));
      fadeLater();
      return;
    }
    if (answer.status >= 400) {
      problem(answer.status, answer.json);
      return;
    }
    showStandby(answer.json.standby);
    const number = "#" + answer.json.number;
    if (what === "numbers") {
      document.getElementById("standby-number").textContent = number;
      slip.hidden = false;
      record("ok", tr("door-js-standby-handed-out", { number: number }));
    } else if (what === "admit") {
      show("ok", "check", tr("door-js-standby-admitted-one", { number: number }), tr("door-js-standby-seats-left", { n: answer.json.standby.seats_for_standby }), ACTION.standby);
      fadeLater();
      beep(true);
      record("ok", tr("door-js-standby-admitted-one", { number: number }));
    } else {
      record("warn", tr("door-js-standby-skipped", { number: number }));
      showStandby(answer.json.standby);
    }
    input.focus();
  }
  document.getElementById("standby-issue").addEventListener("click", () => standbyCall("numbers"));
  document.getElementById("standby-admit").addEventListener("click", () => standbyCall("admit"));
  document.getElementById("standby-skip").addEventListener("click", () => standbyCall("skip"));
  document.getElementById("standby-print").addEventListener("click", () => {
    document.body.classList.add("print-standby");
    window.print();
    document.body.classList.remove("print-standby");
  });
  refreshStandby();
  setInterval(refreshStandby, 15000);

  // Live counter from every door, through Server-Sent Events.
  let events;
  function listen() {
    if (events) events.close();
    if (!screening || !window.EventSource) return;
    events = new EventSource("/api/v1/screenings/" + encodeURIComponent(screening) + "/events");
    events.addEventListener("counters", (event) => {
      const counters = JSON.parse(event.data);
      setCounter(counters.admitted, counters.capacity);
      venueCounter(screening, counters.admitted, counters.capacity);
      refreshStandby();
    });
  }
  listen();
  // At a venue's door, every open screening's counter follows its room, whichever door admits.
  for (const line of document.querySelectorAll("#venue-screenings li[data-screening]")) {
    if (!window.EventSource || line.dataset.screening === screening) continue;
    const stream = new EventSource("/api/v1/screenings/" + encodeURIComponent(line.dataset.screening) + "/events");
    stream.addEventListener("counters", (event) => {
      const counters = JSON.parse(event.data);
      venueCounter(line.dataset.screening, counters.admitted, counters.capacity);
    });
  }

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
      toggle.textContent = tr("door-js-use-camera");
      input.focus();
      return;
    }
    if (!secure || !navigator.mediaDevices) {
      show("warn", "warning", tr("door-js-no-camera"), tr("door-js-camera-needs-https"));
      fadeLater();
      return;
    }
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
      video.srcObject = stream;
      video.hidden = false;
      await video.play();
      toggle.textContent = tr("door-js-stop-camera");
      cameraLoop();
    } catch (error) {
      stream = null;
      show("warn", "warning", tr("door-js-no-camera"), tr("door-js-no-camera-detail") + " " + error.message);
    }
  });
})();
