// Marquee door, the offline half: what lets a door keep admitting without the network.
// - The door's ticket list (GET /api/v1/door/bundle) is kept in IndexedDB.
// - A scanned code is checked here: its Ed25519 signature through WebCrypto, against the public
//   keys in the list, exactly as the server checks it (see src/domain/ticket_code.rs) — a
//   ticket's, or a festival pass's (first character P, its own signing domain).
// - The decision follows the server's rule (src/door/verdict.rs, `judge`; for a pass,
//   src/passes/door.rs, `at_door`) against the list and this device's own admissions.
// - Every scan decided here waits in IndexedDB (it survives a reload or a crashed tab) until it
//   is uploaded to POST /api/v1/scans/sync, in order, under the nonce it was decided with.
// No framework, no third-party code. Used by door.js through window.MarqueeOffline.
(() => {
  "use strict";

  // --- Storage -------------------------------------------------------------------------------
  let opened;
  function database() {
    opened = opened || new Promise((resolve, reject) => {
      const request = indexedDB.open("marquee-door", 1);
      request.onupgradeneeded = () => {
        const db = request.result;
        db.createObjectStore("bundles", { keyPath: "door" });
        db.createObjectStore("queue", { keyPath: "seq", autoIncrement: true });
        db.createObjectStore("admissions", { keyPath: "ticket" });
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    return opened;
  }

  // One transaction; `work` issues its requests synchronously and may return one, whose result
  // is the promise's value once the transaction has committed.
  async function transact(stores, mode, work) {
    const db = await database();
    return new Promise((resolve, reject) => {
      // "strict": a queued scan is on disk before the door shows its verdict.
      const tx = db.transaction(stores, mode, { durability: mode === "readwrite" ? "strict" : "default" });
      const request = Array.isArray(stores) ? work(...stores.map((s) => tx.objectStore(s))) : work(tx.objectStore(stores));
      tx.oncomplete = () => resolve(request ? request.result : undefined);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error || new Error("transaction aborted"));
    });
  }

  const store = {
    bundle: (door) => transact("bundles", "readonly", (s) => s.get(door)),
    saveBundle: (record) => transact("bundles", "readwrite", (s) => s.put(record)),
    queued: () => transact("queue", "readonly", (s) => s.getAll()),
    queuedCount: () => transact("queue", "readonly", (s) => s.count()),
    // A scan decided here, and the admission it made if any: both kept, or neither.
    record: (scan, admission) => transact(["queue", "admissions"], "readwrite", (queue, admissions) => {
      if (admission) admissions.put(admission);
      return queue.add(scan);
    }),
    dequeue: (seqs) => transact("queue", "readwrite", (s) => { for (const seq of seqs) s.delete(seq); }),
    admissions: () => transact("admissions", "readonly", (s) => s.getAll()),
    admit: (admission) => transact("admissions", "readwrite", (s) => s.put(admission)),
    forget: (ticket) => transact("admissions", "readwrite", (s) => s.delete(ticket)),
    // Admissions the server's list already shows (or older than two days) are no longer needed.
    prune: (known, before) => transact("admissions", "readwrite", (s) => {
      const all = s.getAll();
      all.onsuccess = () => {
        for (const a of all.result) if (known.has(a.ticket) || a.at < before) s.delete(a.ticket);
      };
    }),
  };

  // --- Codes ---------------------------------------------------------------------------------
  const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  const KEY_ID_LEN = 4;
  const CODE_LEN = 159;
  const BASE32 = /^[A-Z2-7]*$/;

  // RFC 4648 base32 without padding; null if the unused trailing bits are not zero (as the server).
  function base32(text) {
    const out = [];
    let bits = 0;
    let value = 0;
    for (const c of text) {
      value = (value << 5) | ALPHABET.indexOf(c);
      bits += 5;
      if (bits >= 8) {
        bits -= 8;
        out.push((value >> bits) & 0xff);
      }
      value &= (1 << bits) - 1;
    }
    return value === 0 ? new Uint8Array(out) : null;
  }

  function uuid(bytes) {
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  // The kinds of code: a ticket's (its ticket and screening) and a festival pass's (its pass and
  // festival), told apart by the first character and signed under different domains.
  const KINDS = {
    1: { kind: "ticket", domain: new TextEncoder().encode("marquee-ticket:") },
    P: { kind: "pass", domain: new TextEncoder().encode("marquee-pass:") },
  };

  // The parts of a scanned code, or { error: "format" | "incomplete" }. Whitespace anywhere and
  // lower case are tolerated, as by the server.
  function parse(scanned) {
    const code = scanned.replace(/\s+/g, "").toUpperCase();
    const version = code.charAt(0);
    if (!Object.prototype.hasOwnProperty.call(KINDS, version)) return { error: "format" };
    const keyId = code.slice(1, 1 + KEY_ID_LEN);
    const body = code.slice(1 + KEY_ID_LEN);
    const wellFormed = keyId.length === KEY_ID_LEN && BASE32.test(keyId) && BASE32.test(body);
    if (wellFormed && code.length < CODE_LEN && body.length > 0) return { error: "incomplete" };
    if (!wellFormed || code.length !== CODE_LEN) return { error: "format" };
    const payload = base32(body);
    if (!payload || payload.length !== 96) return { error: "format" };
    const first = uuid(payload.subarray(0, 16));
    const second = uuid(payload.subarray(16, 32));
    const ids = payload.subarray(0, 32);
    const signature = payload.subarray(32);
    if (KINDS[version].kind === "pass") return { kind: "pass", version, keyId, pass: first, festival: second, ids, signature };
    return { kind: "ticket", version, keyId, ticket: first, screening: second, ids, signature };
  }

  // The public keys of a bundle as WebCrypto keys; null when this browser cannot verify Ed25519
  // (or the page is not a secure context: WebCrypto needs HTTPS, or localhost).
  async function importKeys(bundle) {
    if (!window.crypto || !crypto.subtle) return null;
    const keys = new Map();
    try {
      for (const k of bundle.keys) {
        const raw = Uint8Array.from(atob(k.public_key), (c) => c.charCodeAt(0));
        keys.set(k.key_id, await crypto.subtle.importKey("raw", raw, { name: "Ed25519" }, false, ["verify"]));
      }
    } catch (_) {
      return null;
    }
    return keys;
  }

  // The door page's sentences, in its language (see door.js).
  const root = document.getElementById("door");
  const TEXT = JSON.parse((root && root.dataset.text) || "{}");
  function tr(key, slots) {
    let text = TEXT[key] || key;
    for (const name in slots || {}) text = text.split("{" + name + "}").join(String(slots[name]));
    return text;
  }
  // Day and month names in the page's language (English the British way, as the server writes it).
  const LOCALE = document.documentElement.lang === "en" ? "en-GB" : document.documentElement.lang || "en-GB";

  // "ok", or why the code is not a ticket Marquee issued.
  async function verify(parsed, keys) {
    const key = keys.get(parsed.keyId);
    if (!key) return tr("door-js-unknown-key");
    const domain = KINDS[parsed.version].domain;
    const message = new Uint8Array(domain.length + 1 + KEY_ID_LEN + 32);
    message.set(domain, 0);
    message.set(new TextEncoder().encode(parsed.version + parsed.keyId), domain.length);
    message.set(parsed.ids, domain.length + 1 + KEY_ID_LEN);
    const ok = await crypto.subtle.verify({ name: "Ed25519" }, key, parsed.signature, message);
    return ok ? "ok" : tr("door-js-bad-signature");
  }

  // --- Times, in the venue's zone ------------------------------------------------------------
  function inZone(date, zone, options) {
    try {
      return date.toLocaleString(LOCALE, { ...options, timeZone: zone });
    } catch (_) {
      return date.toLocaleString(LOCALE, options);
    }
  }
  const timeOfDay = (date, zone) => inZone(date, zone, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  const dayOf = (date, zone) => inZone(date, zone, { weekday: "short", day: "numeric", month: "short" });
  // "20:15", or "20:15 on Sun 14 Dec" when that is not today where the door is.
  function timeAndDay(date, now, zone) {
    const same = inZone(date, zone, { dateStyle: "short" }) === inZone(now, zone, { dateStyle: "short" });
    return same ? timeOfDay(date, zone) : tr("door-js-time-on-day", { time: timeOfDay(date, zone), day: dayOf(date, zone) });
  }
  const localTime = (s) => `${dayOf(new Date(s.starts_at), s.timezone)}, ${timeOfDay(new Date(s.starts_at), s.timezone)}`;

  // --- The decision --------------------------------------------------------------------------
  // The key under which this device keeps a festival pass's admission to a screening (its
  // reservation's ticket, or a walk-in's seat the list does not show yet).
  const passKey = (pass, screening) => `pass:${pass}:${screening}`;

  // A door's picture: the bundle, indexed, plus this device's own admissions.
  function picture(bundle, admissions) {
    const screenings = new Map(bundle.screenings.map((s) => [s.id, s]));
    const tickets = new Map(bundle.tickets.map((t) => [t.id, t]));
    const passes = new Map((bundle.passes || []).map((p) => [p.id, p]));
    // The passes' seats the list shows (their tickets are among `tickets`), by pass and screening.
    const listedSeats = new Map();
    for (const p of passes.values()) for (const r of p.reservations) listedSeats.set(passKey(p.id, r.screening_id), r.ticket_id);
    const mine = new Map(admissions.map((a) => [a.ticket, a]));
    return { bundle, screenings, tickets, passes, listedSeats, mine };
  }

  // The list's ticket for one of this device's admissions (a ticket's, or a pass's seat), if the
  // list has it.
  function listedTicket(view, admission) {
    return view.tickets.get(admission.ticket) || view.tickets.get(view.listedSeats.get(admission.ticket));
  }

  // What this device need no longer keep: the admissions the server's list shows.
  function shownAdmissions(bundle) {
    const known = new Set();
    const admitted = new Set();
    for (const t of bundle.tickets) if (t.admitted_at) { known.add(t.id); admitted.add(t.id); }
    for (const p of bundle.passes || []) {
      for (const r of p.reservations) if (admitted.has(r.ticket_id)) known.add(passKey(p.id, r.screening_id));
    }
    return known;
  }

  // Seats of a screening taken as far as this device knows: the list's tickets still valid, and
  // this device's admissions the list does not show (walk-ins, tickets booked after it).
  function seatsTaken(view, screeningId) {
    let n = 0;
    for (const t of view.tickets.values()) if (t.screening_id === screeningId && t.status === "valid") n++;
    for (const a of view.mine.values()) if (a.screening === screeningId && !listedTicket(view, a)) n++;
    return n;
  }

  function screeningInfo(s) {
    return { id: s.id, film: s.film, venue: s.venue, room: s.room, starts_at: s.starts_at, local_time: localTime(s) };
  }

  // Tickets admitted to a screening, as far as this device knows.
  function admittedTo(view, screeningId) {
    let n = 0;
    for (const t of view.tickets.values()) if (t.screening_id === screeningId && t.admitted_at) n++;
    for (const a of view.mine.values()) {
      const listed = listedTicket(view, a);
      if (a.screening === screeningId && !(listed && listed.admitted_at)) n++;
    }
    return n;
  }

  // The screening a venue door admits for now: the one whose doors are open, else the next to
  // open, else the last that closed (as the server does).
  function venueScreening(view, now) {
    const list = view.bundle.screenings.filter((s) => s.status === "scheduled")
      .sort((a, b) => a.starts_at.localeCompare(b.starts_at));
    const open = list.find((s) => new Date(s.doors_open_at) <= now && now <= new Date(s.doors_close_at));
    const next = list.find((s) => new Date(s.doors_open_at) > now);
    const last = list.slice().reverse().find((s) => new Date(s.doors_close_at) < now);
    return open || next || last || null;
  }

  // Decides a scan as the server would, against the device's picture. The answer has the shape
  // of the server's (verdict, message, ticket, screening, admitted, capacity…), with offline: true
  // and, when it admits, the `admission` for the caller to store with the queued scan.
  async function decide(view, keys, scanned, door, now) {
    const parsed = parse(scanned);
    const doorScreening = door.mode === "venue" ? venueScreening(view, now) : view.screenings.get(door.target);
    const answer = (verdict, message, extra) => {
      const judged = (extra && extra.judged) || doorScreening;
      const result = { verdict, message, offline: true, ticket: null, screening: judged ? screeningInfo(judged) : null, ...extra };
      delete result.judged;
      result.admitted = judged ? admittedTo(view, judged.id) : 0;
      result.capacity = judged ? judged.capacity : 0;
      return result;
    };
    if (parsed.error === "incomplete") return answer("invalid", tr("door-js-incomplete"));
    if (parsed.error) return answer("invalid", tr("door-js-not-a-ticket", { why: tr("door-js-not-marquee") }));
    const checked = await verify(parsed, keys);
    if (checked !== "ok") return answer("invalid", tr("door-js-not-a-ticket", { why: checked }));
    if (parsed.kind === "pass") return decidePass(view, parsed, doorScreening, door, now, answer);

    const known = view.tickets.get(parsed.ticket);
    if (known && known.screening_id !== parsed.screening) {
      return answer("invalid", tr("door-js-not-a-ticket", { why: tr("door-js-not-in-list") }));
    }
    const ticketScreening = view.screenings.get(parsed.screening);
    // Genuine, but not in the list: booked after the list was refreshed. The signature proves
    // Marquee issued it; the server checks it again when the scan is uploaded.
    const ticket = known || { id: parsed.ticket, screening_id: parsed.screening, status: "valid", holder_name: tr("door-js-booked-after-list"), category: "", seat_number: 0, seats: 0 };
    const info = { id: ticket.id, holder_name: ticket.holder_name, category: ticket.category, seat_number: ticket.seat_number, seats: ticket.seats };
    if (!ticketScreening) {
      return answer("wrong_screening", tr("door-js-other-screening"), { ticket: info });
    }
    const judged = door.mode === "venue" ? ticketScreening : doorScreening;
    if (!judged) return answer("unknown", tr("door-js-screening-not-in-list"), { ticket: info });
    if (ticketScreening.status === "cancelled") return answer("cancelled", tr("door-js-screening-cancelled"), { ticket: info, judged });
    if (ticket.status === "cancelled") {
      return answer("cancelled", tr("door-js-ticket-cancelled"), { ticket: info, judged });
    }
    if (ticketScreening.id !== judged.id) {
      return answer("wrong_screening", tr("door-js-ticket-is-for", { film: ticketScreening.film, venue: ticketScreening.venue, time: localTime(ticketScreening) }), { ticket: info, ticket_screening: screeningInfo(ticketScreening) });
    }
    return admitOnce(view, { first: ticket, key: ticket.id, name: ticket.holder_name }, judged, door, now, answer, { ticket: info });
  }

  // The end of every admission: not twice (the list's admission, or this device's own under
  // `seat.key`), not outside the doors' times; else admitted, and the admission to keep.
  function admitOnce(view, seat, judged, door, now, answer, extra) {
    const zone = judged.timezone;
    const mine = view.mine.get(seat.key);
    const shown = seat.first && seat.first.admitted_at ? seat.first : null;
    const firstAt = shown ? shown.admitted_at : mine && mine.at;
    if (firstAt) {
      const firstDoor = shown ? shown.admitted_door : mine.door;
      return answer("already_admitted", tr("door-js-already-admitted", { time: timeOfDay(new Date(firstAt), zone), door: firstDoor || tr("door-js-another-door") }), { ...extra, judged, first_admitted_at: firstAt, first_admitted_door: firstDoor });
    }
    const opens = new Date(judged.doors_open_at);
    const closes = new Date(judged.doors_close_at);
    if (now < opens) return answer("too_early", tr("door-js-doors-open-at", { time: timeAndDay(opens, now, zone) }), { ...extra, judged });
    if (now > closes) return answer("too_late", tr("door-js-doors-closed-at", { time: timeAndDay(closes, now, zone) }), { ...extra, judged });
    // Counted in the answer's counter; door.js keeps it (with the queued scan) once it is stored.
    const admission = { ticket: seat.key, screening: judged.id, at: now.toISOString(), door: door.name };
    view.mine.set(seat.key, admission);
    return answer("admitted", tr("door-js-welcome", { name: seat.name }), { ...extra, judged, admission });
  }

  // Whether the pass's limits, as the list gave them, allow one more walk-in with this device's
  // own walk-ins (those the list does not show yet) counted: in all, and on the screening's day
  // (the venue's date, as its start is written).
  function walkInsAllow(view, pass, judged) {
    const day = (s) => s.starts_at.slice(0, 10);
    const own = [...view.mine.values()].filter((a) => a.ticket.startsWith(`pass:${pass.id}:`) && !listedTicket(view, a));
    if (pass.walk_ins_left !== null && pass.walk_ins_left !== undefined && own.length >= pass.walk_ins_left) return false;
    if (pass.max_per_day === null || pass.max_per_day === undefined) return true;
    const sameDay = own.filter((a) => view.screenings.has(a.screening) && day(view.screenings.get(a.screening)) === day(judged)).length;
    return ((pass.held_by_day || {})[day(judged)] || 0) + sameDay < pass.max_per_day;
  }

  // A festival pass, as the server decides it (src/passes/door.rs, `at_door`): its reservation's
  // seat here; else, when its type admits walk-ins, a seat taken on the spot while the doors are
  // open and seats are left; else exactly why not. A pass not in the list (issued after it) is
  // not admitted: what it may open is not known here.
  function decidePass(view, parsed, judged, door, now, answer) {
    const pass = view.passes.get(parsed.pass);
    if (!pass) return answer("unknown", tr("door-js-pass-not-in-list"));
    const extra = { pass: { id: pass.id, holder_name: pass.holder_name, organisation: pass.organisation, category: pass.category, pass_type: pass.pass_type } };
    if (!judged) return answer("unknown", tr("door-js-screening-not-in-list"), extra);
    if (pass.status === "revoked") return answer("cancelled", tr("door-pass-revoked"), { ...extra, judged });
    if (!pass.opens.includes(judged.id)) return answer("not_valid_for_screening", tr("door-pass-not-valid"), { ...extra, judged });
    const seat = { key: passKey(pass.id, judged.id), name: pass.holder_name };
    const reservation = pass.reservations.find((r) => r.screening_id === judged.id);
    const ticket = reservation && view.tickets.get(reservation.ticket_id);
    if (ticket && ticket.status === "valid") {
      if (judged.status === "cancelled") return answer("cancelled", tr("door-js-screening-cancelled"), { ...extra, judged });
      return admitOnce(view, { ...seat, first: ticket }, judged, door, now, answer, extra);
    }
    // Admitted here already, as a walk-in (or while the server answered).
    if (view.mine.has(seat.key)) return admitOnce(view, seat, judged, door, now, answer, extra);
    const doorsOpen = judged.status === "scheduled" && new Date(judged.doors_open_at) <= now && now <= new Date(judged.doors_close_at);
    const seatLeft = seatsTaken(view, judged.id) < judged.capacity;
    if (pass.walk_in.includes(judged.id) && doorsOpen && seatLeft && walkInsAllow(view, pass, judged)) {
      return admitOnce(view, seat, judged, door, now, answer, extra);
    }
    return answer("no_reservation", tr("door-no-reservation"), { ...extra, judged });
  }

  window.MarqueeOffline = { store, importKeys, picture, decide, admittedTo, parse, passKey, shownAdmissions };
})();
