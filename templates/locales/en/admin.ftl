# The organisers' and staff's pages: /admin (festivals, screenings, waiting list, standby line,
# venues, films, staff credentials, outbox, booking search), the dashboard and arrival curve
# (dashboard-, report-), and the staff home page (staff-).
# Every { $count }, { $seats }, { $minutes }… is a number: a translation may choose its words by it
# with a selector even where English does not.

## Navigation and words shared by several organiser pages

admin-nav-festivals = Festivals
admin-nav-venues = Venues
admin-nav-films = Films
admin-nav-staff = Staff
admin-nav-bookings = Bookings
admin-nav-outbox = Outbox

admin-link-dashboard = Dashboard
admin-link-screenings = Screenings
admin-link-public-page = Public page
admin-link-door = Door
admin-edit = Edit
admin-save = Save
admin-delete = Delete
admin-delete-unused-only = Only possible while no screening uses it.
admin-choose = Choose…
admin-time-zone = Time zone
admin-email = E-mail
admin-country = Country
admin-seats = Seats

# Table headings.
admin-col-festival = Festival
admin-col-dates = Dates
admin-col-goal = Goal
admin-col-when = When
admin-col-film = Film
admin-col-where = Where
admin-col-booked = Booked
admin-col-place = Place
admin-col-name = Name
admin-col-email = E-mail
admin-col-seats = Seats
admin-col-status = Status
admin-col-screening = Screening
admin-col-venue = Venue
admin-col-rooms = Rooms
admin-col-director = Director
admin-col-year = Year
admin-col-minutes = Minutes
admin-col-role = Role
admin-col-scope = Scope
# The heading of a table's column of links and buttons, read by screen readers only.
admin-col-actions = Actions

## Festivals (/admin)

admin-overview-title = Organiser
admin-overview-heading = Festivals
admin-festival-new = New festival
admin-festival-name = Name
admin-festival-slug = Short name for links (lower-case, digits, hyphens)
admin-festival-first-day = First day
admin-festival-last-day = Last day
admin-festival-goal = Attendance goal
admin-festival-create = Create festival

## A festival's screenings

admin-screenings-title = Screenings — { $festival }
admin-screenings-heading = { $festival }: screenings
admin-screenings-cancelled = (cancelled)
admin-screenings-edit = Edit, invite guests
admin-screening-add-heading = Add a screening
admin-screening-film = Film
admin-screening-place = Venue and room
# An option of the room picker.
admin-place = { $seats ->
    [one] { $venue } — { $room } (1 seat)
   *[other] { $venue } — { $room } ({ $seats } seats)
}
admin-screening-starts = Starts (local time at the venue)
admin-screening-capacity-default = Capacity (empty: the room's seats)
admin-screening-doors-open-default = Doors open, minutes before (default { $minutes })
admin-screening-doors-close-default = Doors close, minutes after the start (default { $minutes })
admin-screening-add = Add screening

## One screening: invitations, waiting list, standby line, edit

admin-screening-title = { $film } — edit
admin-screening-booked = { $booked } / { $capacity } booked
admin-screening-admitted = { $count } admitted
admin-screening-arrivals-link = arrivals
admin-screening-all-link = all screenings

admin-invited = { $count ->
    [one] 1 complimentary ticket issued.
   *[other] { $count } complimentary ticket(s) issued.
}
admin-invited-link = Send this private link to the guest (it is shown only now):
admin-invite-heading = Invite guests
admin-invite-name = Guest's name
admin-invite-category = Category
admin-invite-submit = Issue tickets

admin-waitlist-heading = Waiting list
admin-waitlist-open = Open
admin-waitlist-closed-to-new = Closed to new entries
admin-waitlist-offers-held = { $minutes ->
    [one] offers held up to 1 minute (less as the start nears)
   *[other] offers held up to { $minutes } minutes (less as the start nears)
}
admin-waitlist-seats-held = { $count ->
    [one] 1 seat held for open offers
   *[other] { $count } seats held for open offers
}
admin-waitlist-new-entries = New entries
admin-waitlist-option-open = Open
admin-waitlist-option-closed = Closed
admin-waitlist-hold-minutes = Hold an offer for, minutes (5–1440)
admin-waitlist-save = Save the waiting list
admin-waitlist-empty = Nobody is waiting.
admin-waitlist-col-move = Move or remove
admin-waitlist-up = Up
admin-waitlist-down = Down
admin-waitlist-remove = Remove
admin-waitlist-move-up-label = Move { $name } up
admin-waitlist-move-down-label = Move { $name } down
admin-waitlist-remove-label = Remove { $name }
admin-entry-status-waiting = waiting
admin-entry-status-offered = offered
admin-entry-status-offered-until = offered until { $until }
admin-entry-status-claimed = claimed
admin-entry-status-expired = expired
admin-entry-status-left = left
admin-entry-status-removed = removed

admin-standby-heading = Standby line at the door
admin-standby-explained = From { $time }, seats not taken by admitted ticket holders go to people queuing without a ticket, in the order of the numbers the door hands out
admin-standby-numbers = { $issued ->
    [one] 1 number handed out, { $admitted } admitted
   *[other] { $issued } numbers handed out, { $admitted } admitted
}
admin-standby-none = No standby line.
admin-standby-release = Release seats to standby, minutes before the start (blank: no standby line)
admin-standby-keep = Seats kept for ticket holders arriving late
admin-standby-save = Save the standby line

admin-screening-edit-heading = Edit
admin-screening-capacity = Capacity
admin-screening-doors-open = Doors open, minutes before
admin-screening-doors-close = Doors close, minutes after the start
admin-screening-pass-seats = Seats kept for festival pass holders
admin-screening-pass-seats-hint = The public cannot book these (a press row, say); passes may take any seat. 0: none kept. A pass seat released unused before the start goes to the waiting list.
admin-screening-reinstate = Reinstate this screening
admin-screening-cancel = Cancel this screening

## Venues and films

admin-venues-title = Venues
admin-venue-new = New venue
admin-venue-name = Name
admin-venue-city = City
admin-venue-address = Address
# The rooms are read back as "name: seats", one per line: keep the colon in the explanation.
admin-venue-rooms = Rooms, one per line as "name: seats"
admin-venue-create = Create venue

admin-films-title = Films
admin-film-new = New film
admin-film-title = Title
admin-film-original-title = Original title
admin-film-director = Director
admin-film-year = Year
admin-film-runtime = Runtime (minutes)
admin-film-language = Spoken language(s)
admin-film-subtitles = Subtitles (empty: none)
admin-film-language-hint = Write a language's name (Vietnamese) or code (vi): attendees then read it in their own language.
admin-film-create = Create film

## Staff credentials

admin-staff-title = Staff
admin-staff-credential-for = Credential for { $name }
admin-staff-credential-shown-once = shown only now. Scan the code with the door device to sign it in, or send the link.
admin-staff-credential-qr = QR code of the sign-in link for { $name }
admin-staff-api-credential = API credential
admin-staff-revoked = revoked
admin-staff-you = you
admin-staff-revoke = Revoke
admin-staff-new = New credential
admin-staff-name = Name (a person or a device, e.g. "Pathé door 1")
admin-staff-role = Role
admin-staff-role-door = Door staff (scan only)
admin-staff-role-organiser = Organiser
admin-staff-limited-to = Limited to
admin-staff-scope-everything = Everything (every festival and venue)
admin-staff-scope-festival-option = Festival: { $name }
admin-staff-scope-venue-option = Venue: { $name }
admin-staff-create = Create credential

## Outbox

admin-outbox-title = Outbox
admin-outbox-explained = Every message Marquee sends: tickets after a booking or invitation, cancellations, changes of a screening, "find my tickets".
# { $setting } is the name of the setting, shown as code.
admin-outbox-files = No SMTP server is configured ({ $setting }): messages are written as files to the mail folder instead; open one to see exactly what would have been sent.
admin-outbox-show = Show:
admin-outbox-all = all
admin-outbox-showing = (showing { $status })
admin-outbox-col-created = Created (UTC)
admin-outbox-col-to = To
admin-outbox-col-subject = Subject
admin-outbox-col-attempts = Attempts
admin-outbox-col-last-error = Last error
admin-outbox-resend = Send again
admin-outbox-empty = No messages.
admin-mail-status-queued = queued
admin-mail-status-sent = sent
admin-mail-status-failed = failed

## Finding a booking

admin-bookings-title = Bookings
admin-bookings-heading = Find a booking
admin-bookings-query = Name or e-mail (part of it)
admin-bookings-search = Search
admin-bookings-none = No booking matches.
admin-booking-title = Booking of { $name }
# Built in src/mail/pages.rs (booking_page).
admin-booking-screening = { $film } — { $when } at { $venue }, { $room }
admin-booking-notice-resent = The tickets are queued to be mailed again.
admin-booking-notice-cancelled = The booking is cancelled; its holder is told by mail.
admin-booking-tickets = Tickets
admin-booking-seat = Seat { $seat }
admin-booking-resend = Mail the tickets again
admin-booking-cancel = Cancel this booking (its holder is told by mail)
admin-booking-messages = Messages
admin-booking-no-messages = None yet.
admin-booking-back = Find another booking
admin-booking-status-confirmed = confirmed
admin-booking-status-cancelled = cancelled
admin-ticket-status-valid = valid
admin-ticket-status-admitted = admitted
admin-ticket-status-cancelled = cancelled

## The festival's dashboard

dashboard-title = { $festival } — dashboard
dashboard-explained = Attendance counts tickets admitted at the door, never sales. Updated live
dashboard-public-programme = public programme

# Captions under the big numbers; { $count } is the number above.
dashboard-total-admitted = admitted
dashboard-total-unique-attendees = { $count ->
    [one] unique attendee
   *[other] unique attendees
}
dashboard-total-countries = { $count ->
    [one] country
   *[other] countries
}
dashboard-total-tickets-issued = { $count ->
    [one] ticket issued
   *[other] tickets issued
}
dashboard-total-no-shows = { $count ->
    [one] no-show
   *[other] no-shows
}
dashboard-total-films = { $count ->
    [one] film
   *[other] films
}
dashboard-total-screenings = { $count ->
    [one] screening
   *[other] screenings
}
dashboard-total-standby-admitted = admitted from standby
dashboard-total-conflicts = { $count ->
    [one] offline conflict
   *[other] offline conflicts
}

dashboard-conflicts-heading = Offline conflicts
dashboard-conflicts-explained = A door without the network let these tickets in, but the server could not honour it: the ticket was admitted first at another door, was cancelled, or is not genuine. Each admission still counts once. Ask the doors named here what happened (a shared screenshot, a second person on one ticket), and use the scan log to follow up.
dashboard-col-holder = Ticket holder
dashboard-col-screening = Screening
dashboard-col-door-offline = Door (offline)
dashboard-col-server-says = What the server says

# The page keeps these numbers up to date: write each number as a figure (not in words) for it to
# follow live.
dashboard-goal = Toward the goal of { $goal }
# { $rate } is a percentage such as "12.5%".
dashboard-fill-rate = { $capacity ->
    [one] Fill rate { $rate } of 1 seat
   *[other] Fill rate { $rate } of { $capacity } seats
}
dashboard-no-show-rate = no-show rate { $rate } (screenings whose doors have closed)
dashboard-tickets-to-come = { $count ->
    [one] 1 ticket still to come
   *[other] { $count } tickets still to come
}

dashboard-screenings-heading = Screenings
dashboard-col-day = Day
dashboard-col-capacity = Capacity
dashboard-col-booked = Booked
dashboard-col-admitted = Admitted
dashboard-col-fill = Fill
dashboard-col-no-shows = No-shows
dashboard-cancelled = cancelled
dashboard-countries-heading = Countries
dashboard-col-country = Country
dashboard-col-tickets = Tickets
dashboard-col-attendees = Attendees
dashboard-categories-heading = Ticket categories
dashboard-col-category = Category

dashboard-downloads-heading = Downloads
dashboard-json-report = report
dashboard-csv-excel = CSV for a spreadsheet set to a decimal comma (French Excel: “;” between cells, “0,25”):
dashboard-counter-check = counter check
dashboard-scan-log-check = scan-log check
dashboard-generated = Generated { $when }

## Charts and tables of the report

report-chart-by-day = Admitted by day (of capacity)
report-chart-by-film = Admitted by film (of capacity)
report-chart-by-venue = Admitted by venue (of capacity)
# A bar's tooltip, with its label in full; { $label } is a day, a film or a venue.
report-chart-bar = { $capacity ->
    [one] { $label }: { $admitted } admitted of 1 seat
   *[other] { $label }: { $admitted } admitted of { $capacity } seats
}
# { $percent } is a percentage such as "42.0%".
report-chart-progress = { $goal ->
    [one] { $admitted } of a goal of 1 attendee ({ $percent })
   *[other] { $admitted } of a goal of { $goal } attendees ({ $percent })
}
report-chart-arrivals = { $minutes ->
    [one] Admissions per minute
   *[other] Admissions per { $minutes } minutes
}
# Marks the screening's start on the arrival chart.
report-chart-start = start

# The downloadable tables (the files keep their English names).
report-table-totals = totals
report-table-screenings = screenings
report-table-films = films
report-table-venues = venues
report-table-days = days
report-table-countries = countries
report-table-categories = categories

## A screening's arrivals

report-arrivals-title = Arrivals — { $film }
report-arrivals-heading = Arrivals: { $film }
report-arrivals-starts = Starts { $when }
report-arrivals-admitted = { $count } admitted
report-arrivals-explained = { $minutes ->
    [one] admissions per minute, from the doors opening to their closing
   *[other] admissions per { $minutes } minutes, from the doors opening to their closing
}
report-col-from = From
report-col-minutes-from-start = Minutes from start
report-col-admitted = Admitted

## The staff home page (/staff)

staff-title = Staff
staff-signed-in = Signed in as { $name }
staff-role = Role:
staff-limited-to = limited to { $scope }
staff-scope-festival = festival { $festival }
staff-scope-venue = venue { $venue }
staff-sign-out = Sign out
# { $link } is the link, whose words are staff-organiser-pages-link.
staff-organiser-pages = { $link }: festivals, venues, films, screenings, staff, guest invitations.
staff-organiser-pages-link = Organiser pages
# { $link } is the link, whose words are staff-door-page-link.
staff-door-page = { $link } to scan tickets.
staff-door-page-link = Open the door page
staff-festivals-heading = Festivals
staff-col-festival = Festival
staff-col-screenings = Screenings
staff-col-booked = Seats booked
staff-col-capacity = Capacity
staff-col-goal = Goal
staff-dashboard-link = dashboard

admin-confirm-back = Go back without changing anything
admin-confirm-cancel-screening-title = Cancel { $film }, { $when }?
admin-confirm-cancel-screening = { $holders ->
    [0] Nobody holds a ticket yet. The screening will show as cancelled and take no bookings.
    [one] 1 ticket holder will be told by mail; their { $tickets ->
        [one] ticket stops
       *[other] { $tickets } tickets stop
    } admitting anyone. The screening can be reinstated later, but the mail cannot be taken back.
   *[other] { $holders } ticket holders will be told by mail; their { $tickets } tickets stop admitting anyone. The screening can be reinstated later, but the mail cannot be taken back.
}
admin-confirm-revoke-title = Revoke the credential of { $name }?
admin-confirm-revoke = { $name } is signed out on every device at once and can no longer sign in, scan or use the API with this credential. This cannot be undone: to work again they need a new credential.
admin-screening-cancel-ellipsis = Cancel this screening…
admin-staff-revoke-ellipsis = Revoke…
admin-screening-confirm = Add it anyway: I have checked its time and room
admin-notice-festival-added = Festival added: { $name }. Now add its screenings.
admin-notice-venue-added = Venue added: { $name }.
admin-notice-film-added = Film added: { $name }.
admin-notice-screening-added = Screening added: { $film }, { $when }.
admin-notice-screening-saved = Screening saved: { $film }, { $when }.
admin-notice-saved = Saved.
admin-screening-delete = Delete this screening (nobody booked it)
admin-notice-screening-deleted = Screening deleted: { $film }, { $when }.
admin-film-synopsis = Synopsis (a few lines, shown on the screening pages)

## Importing the programme.

admin-programme-import = Import the programme
admin-programme-import-field = The programme, as CSV (copied from a spreadsheet saved as "CSV UTF-8")
admin-programme-import-help = First line: title,venue,room,starts_at (and director,year,runtime_minutes,country for a new film; original_title and capacity if you have them). One screening a line; the start in the venue's time, like 2030-12-07 20:00. Venues and their rooms must exist. Check it first: nothing is written until every line is right, and importing the same programme again changes nothing.
admin-programme-import-submit = Import the programme
admin-programme-import-would = The programme is right. Screenings to add: { $created } (new films: { $films }); there already: { $unchanged }.
admin-programme-import-done = Imported. Screenings added: { $created } (new films: { $films }); there already: { $unchanged }.
team-title = The team of { $festival }
team-explained = Each person signs in with their own link and holds roles in this festival only. An owner gives any role; a door lead adds and removes door staff.
team-audit-link = Audit trail
team-signin-link = Their sign-in link (send it to them; it works until their access is revoked):
team-token-secret = The token, for the integration's settings
team-members-heading = Members
team-col-roles = Roles
team-roles-of = Roles of { $name }
team-save-roles = Save roles
team-empty = Nobody has a role in this festival yet.
team-new-heading = Add a person
team-add = Add to the team
team-tokens-heading = API tokens
team-tokens-explained = For integrations: each token works for this festival only, with the permissions chosen, until it expires or is revoked.
team-col-permissions = Permissions
team-col-expires = Expires
team-col-last-used = Last used
team-token-by = made by { $name }
team-token-revoke = Revoke { $name }
team-tokens-empty = No API tokens.
team-token-new = New token
team-token-name = Name (what it is for)
team-token-days = Days until it expires
team-token-create = Make the token
team-never = never
team-token-revoked = Token revoked: it no longer works.
audit-title = Audit trail of { $festival }
audit-explained = Every change made by the team and every look at personal data, newest first. Entries cannot be changed or deleted.
audit-team-link = The team
audit-filter-action = Action starts with
audit-filter-actor = Person (id)
audit-filter-since = From
audit-filter-until = To
audit-filter = Filter
audit-download = Download as CSV
audit-col-at = When
audit-col-actor = Who
audit-col-action = Action
audit-col-subject = On
audit-col-change = Change
audit-before = Before
audit-after = After
audit-empty = Nothing recorded yet.
admin-nav-my-festivals = My festivals
staff-festival-team = Team
staff-festival-audit = Audit trail
staff-your-roles = Your roles: { $roles }
account-title = Your account
account-link-sent-title = Check your mail
account-link-sent = If this address belongs to a member of a festival's team, a sign-in link is on its way. It works once, for 15 minutes.
account-back-to-signin = Back to sign-in
account-link-title = Sign in
account-code = Code from your authenticator app
account-code-or-recovery = Or one of your recovery codes. Each code works once.
account-code-wrong = That code is not right. Try the current code from your app, or a recovery code.
account-code-used = That code was used already. Wait for the next one.
account-code-too-many = Too many wrong codes: try again in 15 minutes.
account-welcome-title = Welcome
account-welcome-heading = Welcome, { $name }
account-welcome-explained = Set up your account: an authenticator app will give you a code to sign in with, after a link Marquee mails you.
account-totp-heading = Authenticator app
account-totp-explained = Scan this code with an authenticator app (or type the key in it), then enter the 6-digit code it shows.
account-totp-qr = QR code to add Marquee to an authenticator app
account-totp-key = Key:
account-totp-enable = Set up the app
account-totp-replace = Replace the app
account-totp-on = An authenticator app is set up. To move to another, scan this new code with it and enter its code.
account-totp-open-app = Open in an authenticator app on this device
account-codes-title = Recovery codes
account-codes-explained = Keep these codes somewhere safe: each lets you sign in once without your app. They are shown only now.
account-codes-continue = Continue
account-codes-left = { $count } recovery codes left.
account-codes-new = Make new recovery codes
account-add-factor = Protect your account: set up an authenticator app below.
account-sessions-heading = Where you are signed in
account-col-device = Device
account-col-place = Address
account-col-method = Signed in with
account-col-last-seen = Last seen
account-this-session = this one
account-end-session = Sign out there
account-end-others = Sign out everywhere else
account-email-heading = E-mail address
account-email = E-mail address
account-email-save = Save the address
account-email-signin-heading = Or sign in by e-mail
account-email-signin = E-mail me a sign-in link
team-email = E-mail address (an invitation is mailed; leave empty for a sign-in link to hand over)
team-invited = Invitation mailed to { $name }.
account-passkey-signin-heading = Sign in with a passkey
account-passkey-signin = Sign in with a passkey
account-passkeys-heading = Passkeys
account-passkeys-explained = A passkey signs you in with this device's lock (fingerprint, face, PIN) or a security key: no link, no code. Add one on each device you use.
account-passkey-used = last used { $at }
account-passkey-remove = Remove { $name }
account-passkey-name = Name of this passkey
account-passkey-default-name = My device
account-passkey-add = Add a passkey
staff-add-factor = Protect your account: add a passkey or an authenticator app on { $link }.
