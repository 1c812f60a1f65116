# The door: what a scan answers (the verdict's headline and its message), read by door
# volunteers on the door page and in the API's `message`. The `verdict` code beside it
# (admitted, too_early…) is never translated.

## Headlines, one per verdict.

verdict-admitted = Admitted
verdict-already-admitted = Already admitted
verdict-wrong-screening = Wrong screening
verdict-cancelled = Cancelled ticket
verdict-invalid = Invalid code
verdict-unknown = Unknown ticket
verdict-too-early = Too early
verdict-too-late = Too late
verdict-annulled = Admission undone
verdict-room-full = Room full
verdict-no-reservation = No reservation
verdict-not-valid-for-screening = Pass not valid here

## The message under the headline.

door-welcome = Welcome, { $name }.
door-incomplete-read = Incomplete read — scan again.
# $why is one of the door-code-… reasons below.
door-not-a-ticket = This is not a valid ticket: { $why }.
door-code-format = not a Marquee ticket code
door-code-incomplete = incomplete read
door-code-unknown-key = signed with a key this server does not know
door-code-signature = the signature does not match
door-no-such-ticket = The code is genuine, but no such ticket exists here.
door-screening-cancelled = The screening was cancelled.
door-ticket-cancelled = This ticket was cancelled by its holder or an organiser.
# $when: the screening's day and time ("Friday 12 December 2025, 20:00").
door-wrong-screening = This ticket is for { $film } at { $venue }, { $when }.
# $time: "19:15", or door-time-on-day when it is not today.
door-doors-open-at = Doors open at { $time }.
door-doors-closed-at = Doors closed at { $time }.
door-time-on-day = { $time } on { $day }
door-room-full = The room is full: the seats of holders who had not arrived went to the standby line.
door-no-reservation = This pass holds no seat at this screening, and none can be given at the door now.
door-pass-not-valid = This pass does not open this screening (its days, films or venues).
door-pass-revoked = This pass was revoked by an organiser.
door-already-admitted = Already admitted at { $time } by { $door }.
# $answer: what the server decided, one of the messages above.
door-offline-conflict = Conflict: { $door } let this ticket in offline at { $time }, but the server says: { $answer }
door-admission-undone = Admission undone: the ticket can be scanned again.
conflict-cancelled = The ticket, or its screening, had been cancelled.
conflict-not-genuine = The code is not a genuine ticket.
conflict-wrong-screening = The ticket is for another screening.
conflict-outside-doors = It was scanned while the doors were closed.
door-scanned-after-another-door = Conflict: { $door } let this ticket in offline at { $time }, but { $first_door } had already let it in at { $first_time } (by the devices' own clocks).
