# Errors: the `message` of the API's JSON errors and the text of error pages.
# The `error` code beside it (not_found, sold_out…) is never translated.

error-not-found = { $thing } not found
thing-screening = screening
thing-festival = festival
thing-venue = venue
thing-film = film
thing-booking = booking
thing-ticket = ticket
thing-scan = scan
thing-waitlist-entry = waiting-list entry
thing-message = message
thing-staff-member = staff member
thing-page = page
error-rate-limited = Too many requests from this address; try again in { $seconds } s.
error-busy = The database is busy; please try again.
error-internal = Something went wrong on our side; it has been logged.
error-database-unavailable = The database is unavailable; please try again.
error-already-exists = That already exists.

## The API's request bodies (read by developers: the parser's detail is kept).

error-json-syntax = The body is not valid JSON: { $detail }
error-json-body = The JSON body could not be read: { $detail }
error-json-field = { $label }: { $detail }
error-body-not-json = The request body must be JSON (Content-Type: application/json).
error-body-too-large = The request body must be at most { $bytes } bytes.
error-body-timeout = The request body did not arrive in time; please try again.
error-unknown-method = This server does not know that HTTP method.
error-direction-characters = { $label } contains invisible characters that change the direction of text; please remove them.
error-body-unreadable = The request body could not be read: { $detail }

## Forms, addresses and query strings.

error-form-too-large = This form is too long to send: it must be at most { $bytes } bytes. Please shorten what you wrote.
error-form-unreadable = This form could not be read; reload the page and try again. ({ $detail })
error-bad-path = There is nothing at this address: { $detail }
error-bad-query = The address has a value that could not be read: { $detail }
error-no-route = There is nothing at { $method } { $path }.

## Signing in and permissions.

error-credential-revoked = This credential is not valid or has been revoked.
error-sign-in-staff = Please sign in as festival staff to do this.
error-sign-in-organiser = Please sign in as an organiser to do this.
error-organisers-only = Only organisers can do this.
error-cookies-needed = This page needs cookies: please allow them in your browser.
error-form-expired = This form has expired or was sent from another site. Reload the page and try again.
error-cross-site-form = This form was sent from another site, so it was not accepted. Open the page on this site and send it again.
error-metrics-token = The metrics need the MARQUEE_METRICS_TOKEN bearer token.

## The service's health.

error-database-silent = The database is not answering.
error-stopping = This instance is stopping; another one answers.

## Values typed into forms and API fields. `$field` is the field's code (name, email, starts_at…),
## kept as it is so that an API client knows which one.

error-required = { $field ->
    [name] Please enter a name.
    [email] Please enter your email address.
   *[other] Please fill in the { $label } field.
}
error-too-long = { $label } is too long: at most { $max } characters.
error-control-characters = { $label } contains characters that cannot be used here, such as line breaks.
error-number-between = { $label } must be a number from { $min } to { $max }.
error-number-too-big = { $label } is too big.
error-email = Please enter an email address like name@example.org.
error-country = Choose your country.
error-slug = The slug may use only lower-case letters, digits and single hyphens, like vfw-paris-2025.
error-timezone = The timezone must be a time zone name such as Europe/Paris.
error-years = { $label } must be between the years { $first } and { $last }.
error-time-skipped = { $label }: this time does not exist in { $zone } because the clocks change then.
error-time = { $label } must be a date and time like 2025-12-12T20:00 or 2025-12-12T20:00:00+01:00.

## The organisers' forms.

error-whole-number = { $label } must be a whole number, like 12.
error-date = { $label } must be a date like 2025-12-06.
error-rooms-line = Each line of rooms must read “name: seats”, like “Salle 1: 120”; this line does not: { $line }
error-room-choose = Choose a venue and a room.
error-role = Choose a role: organiser or door.
error-scope = Choose what this person may work on: a festival, a venue, or everything.
error-scope-no-festival = That festival does not exist any more.
error-scope-no-venue = That venue does not exist any more.
error-own-credential = You cannot revoke your own credential while you are signed in with it.

## Booking and cancelling.

error-category = Choose a category: guest, press or jury.
error-screening-cancelled = This screening has been cancelled.
error-booking-closed = Booking has closed: the screening has started.
error-seats-held-for-waitlist = The free seats are offered to the waiting list first. Join it to be next in line.
error-sold-out = This screening is sold out.
error-only-seats-left = { $count ->
    [one] Only 1 seat is left, and you asked for { $asked }.
   *[other] Only { $count } seats are left, and you asked for { $asked }.
}
error-booking-all-used = Every ticket of this booking has already been used at the door, so it cannot be cancelled.
error-booking-cancelled-meanwhile = This booking was cancelled at the same moment. Reload the page to see it.
error-manage-token = Send the booking's manage token as “Authorization: Bearer …”.

## The waiting list.

error-screening-started = The screening has started.
error-waitlist-closed = The waiting list of this screening is closed.
error-seats-available = { $count ->
    [one] 1 seat is available: book it instead.
   *[other] { $count } seats are available: book them instead.
}
error-offer-claimed = These seats have already been claimed: the tickets were emailed to you.
error-no-offer-yet = No seats are offered to you yet. You will get an email when they are.
error-offer-closed = This offer is no longer open: the seats went to the next person in line.
error-offer-expired = This offer has expired: the seats went to the next person in line.
error-offer-minutes = offer_minutes must be from 5 to 1440 (24 hours).
error-position = The position must be 1 or more.

## Festivals, venues, films and screenings.

error-festival-ends-before-start = The festival cannot end (ends_on) before it starts (starts_on).
error-festival-too-long = A festival may last at most a year.
error-rooms-count = A venue must have from 1 to { $max } rooms.
error-room-twice = { $label }: the room “{ $name }” is listed twice.
error-uuid = { $label } must be an id (a UUID).
error-room-unknown = Choose one of the venue's rooms: { $rooms }.
error-screening-ends-before-start = The screening must end (ends_at) after it starts (starts_at).
error-screening-too-long = A screening may last at most 24 hours.
error-screening-status = The status must be scheduled or cancelled.
error-no-such-film = There is no film with this id (film_id).
error-no-such-venue = There is no venue with this id (venue_id).
error-no-such-festival = There is no festival with this id (festival_id).
error-festival-in-use = { $count ->
    [one] The festival has 1 screening: cancel it instead of deleting the festival.
   *[other] The festival has { $count } screenings: cancel them instead of deleting the festival.
}
error-venue-in-use = { $count ->
    [one] The venue has 1 screening, so it cannot be deleted.
   *[other] The venue has { $count } screenings, so it cannot be deleted.
}
error-film-in-use = { $count ->
    [one] The film has 1 screening, so it cannot be deleted.
   *[other] The film has { $count } screenings, so it cannot be deleted.
}
error-room-in-use = The room “{ $room }” has screenings scheduled, so it cannot be removed.
error-room-too-small = { $capacity ->
    [one] The room “{ $room }” has a screening for 1 seat, so it cannot shrink to { $seats }.
   *[other] The room “{ $room }” has a screening for { $capacity } seats, so it cannot shrink to { $seats }.
}
error-capacity-below-booked = { $count ->
    [one] 1 seat is already booked: the capacity cannot be lower.
   *[other] { $count } seats are already booked: the capacity cannot be lower.
}
error-capacity-below-pass-seats = The capacity cannot be below the { $count } seats kept for festival pass holders: change those first.
error-festival-staff-scoped = { $count ->
    [one] 1 staff credential is limited to this festival: revoke it first.
   *[other] { $count } staff credentials are limited to this festival: revoke them first.
}
error-venue-staff-scoped = { $count ->
    [one] 1 staff credential is limited to this venue: revoke it first.
   *[other] { $count } staff credentials are limited to this venue: revoke them first.
}
error-slug-taken = Another festival already has this slug.
error-venue-exists = A venue with this name already exists in this city.
error-film-exists = A film with this title and year already exists.
error-writer-stopped = The database cannot take changes right now; please try again in a moment.
error-manage-token-or-query = Send the booking's manage token as “Authorization: Bearer …” or as ?token=.
error-not-an-image = The body must be a PNG or JPEG image.
error-scan-own-festival-only = This credential may only scan tickets for its own festival.
error-scan-own-venue-only = This credential may only scan tickets at its own venue.
error-mail-status = The status must be queued, sent or failed.
error-mail-no-file = This message was not written to a file.
error-mail-file-gone = The file of this message is gone: { $detail }
error-resend-cancelled = This booking is cancelled: there are no tickets to send.
error-no-such-table = There is no such table. Choose one of: { $tables }.
error-organiser-scope = Organisers see every festival: only door staff can be limited to a festival or a venue.

## Door scans (read by door volunteers and the door devices' developers).

error-scan-target = Send screening_id or venue_id (exactly one).
error-scanned-at = scanned_at must be a time like 2025-12-12T20:00:00+01:00 (RFC 3339).
error-nonce-reused = This nonce was already used for another code or door. Send a new nonce for each scan, and the same nonce only to retry the same scan.
error-no-screening-today = There is no screening at this venue today.
error-annul-other-door = Only the door that let a ticket in can undo it.
error-annul-not-admission = Only an admission can be undone.
error-annul-too-late = An admission can be undone within { $seconds } seconds only.
error-annul-not-last = Only the door's last admission can be undone.
error-annul-booking-cancelled = The booking was cancelled after this admission, so it can no longer be undone.
error-annul-already = This admission was already undone.
error-sync-too-many = Send at most { $max } scans per request, and the rest in another.
error-scanned-at-window = scanned_at must be within the last 7 days and not in the future: check the device's clock.
error-device-time = device_time must be the device's clock as a time like 2025-12-12T20:00:00+01:00 (RFC 3339).

## The standby line.

error-standby-off = This screening has no standby line (organisers can set one up on the screening's page).
error-standby-nobody-waiting = No standby number is waiting: hand out numbers first.
error-standby-not-released = Standby starts at { $time }: until then the seats are kept for ticket holders.
error-standby-no-seats = No seat is free for standby: every seat is taken or kept for ticket holders who come late.
error-standby-release-minutes = release_minutes_before_start must be from 0 to 240.
error-standby-keep-for-late = keep_for_late must be from 0 to the capacity ({ $capacity }).
error-csv-sep = The separator must be comma or semicolon.
error-cancel-choose-seats = Choose at least one seat to cancel.
error-cancel-not-these = Some of the chosen seats can no longer be cancelled (used at the door or cancelled already): nothing was changed.
error-door-is-code = The door's name looks like a ticket code: type the door's name (e.g. “Pathé door 1”), then scan.
error-screening-past = This start is already past. Check the date and time, or confirm to add it anyway.
error-screening-outside-festival = This day is outside the festival's dates ({ $dates }). Check the date, or confirm to add it anyway.
error-screening-overlaps = { $film } is on in this room then ({ $when }). Choose another room or time, or confirm to add it anyway.

# Fields as people read them (`$label` in the messages above; `$field` stays the code).
field-name = Name
field-email = E-mail address
field-country = Country
field-seats = Seats
field-title = Title
field-original-title = Original title
field-director = Director
field-year = Year
field-runtime = Running time
field-slug = Web address name
field-starts-on = First day
field-ends-on = Last day
field-timezone = Time zone
field-attendance-goal = Attendance goal
field-city = City
field-address = Address
field-rooms = Rooms
field-room = Room
field-starts-at = Start
field-ends-at = End
field-capacity = Capacity
field-doors-open = Doors open
field-doors-close = Doors close
field-door = Door
field-language = Language
field-subtitles = Subtitles
field-scanned-at = Scan time
error-screening-in-use = People booked this screening, joined its lists or were scanned at it: cancel it instead, so they are told.
error-idempotency-key = Idempotency-Key must be 1 to 255 visible ASCII characters (a UUID, say).
error-idempotency-key-reused = This Idempotency-Key was used for another request: send a new key with a new request.
error-idempotency-key-in-use = The first request with this Idempotency-Key has no answer yet (it is still running, or it failed): try again in a moment, or send the request with a new key.
error-permission-needed = Your role does not allow this here: it needs the permission for { $permission }.
error-instance-admin-only = Only an administrator of this Marquee can do this.
error-team-role = The roles must be among owner, programme, box_office, door_lead, reports and door.
error-team-no-role = Choose at least one role.
error-team-door-credential = A door credential can only be door staff: add the person to the team to give other roles.
error-team-not-member = This person is an administrator of the whole instance: their rights are not set festival by festival.
error-team-name-or-id = Send either the name of a new member or the id of an existing one.
error-team-own-owner = You cannot take your own ownership: ask another owner.
error-token-permission = Choose the token's permissions among programme, box_office, door_lead, reports and door.
error-token-days = A token lives from 1 to { $max } days.
error-audit-format = The format must be json or csv.
error-account-link = This link was used already, has expired, or does not exist. Ask for a new one.
error-account-email-taken = Another member of a team has this address.
error-account-totp-code = That key cannot be read.
error-passkey-origin = Passkeys need this page's address to be a domain name (such as localhost), not a bare IP address.
error-passkey-refused = The passkey was not accepted. Try again.
error-passkey-none = No passkey is set up for this address: sign in by e-mail, then add one on your account page.
error-account-token = An API token has no account: accounts, sessions and passkeys are people's.
