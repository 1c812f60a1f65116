# The attendee's pages: festivals, programme, screening, booking, tickets, waiting list.

index-title = Festivals
index-outline = { $films ->
    [one] 1 film
   *[other] { $films } films
} · { $venues }
meta-index = Film festival programmes and tickets: find a screening, book your seats and get your tickets by mail.
meta-programme = { $festival }, { $dates }: every film, screening and venue of the programme, with seats to book online.
meta-screening = { $film }, { $when } at { $place }: book your seats and get your tickets by mail.
index-none = No festival has been published yet.

programme-none = The programme has not been published yet.
programme-time = Time
programme-film = Film
programme-venue = Venue
programme-seats = Seats
programme-filters = Filter the programme
programme-filter-day = Day
programme-filter-venue = Venue
programme-filter-film = Film
programme-every-day = Every day
programme-every-venue = Every venue
programme-every-film = Every film
programme-show = Show
programme-clear-filters = Clear filters
programme-no-match = No screening matches these choices. Choose another day, venue or film, or clear the filters.
programme-matching = { $count ->
    [one] 1 screening matches.
   *[other] { $count } screenings match.
}
availability-cancelled = Cancelled
availability-closed = Booking closed
availability-sold-out = Sold out
availability-open = { $left ->
    [one] 1 of { $capacity } seats left
   *[other] { $left } of { $capacity } seats left
}

screening-when = When
screening-where = Where
screening-film = Film
screening-seats = Seats
screening-runtime = { $minutes } min
screening-hours = { $start }–{ $end }
screening-others = Other screenings of this film
film-language-and-subtitles = { $language } · { $subtitles } subtitles
film-language-no-subtitles = { $language } · no subtitles
film-subtitles = { $subtitles } subtitles
screening-cancelled = This screening has been cancelled.
screening-closed = Booking has closed: the screening has started.
screening-sold-out = Sold out.
screening-sold-out-detail = Every seat has been booked.
screening-join-waitlist = Join the waiting list
screening-waitlist-explained = Seats freed by cancellations are offered in order, by e-mail, and held for you for a limited time.
screening-book-seats = Book seats
screening-book = Book

form-your-name = Your name
form-email = E-mail
form-country = Country
form-choose-country = Choose your country…
form-seats = Seats

booking-title = Your booking
booking-just-booked = Booked! Your tickets are on their way to { $email } (QR codes, a PDF to print, and the screening for your calendar). This page's address is your private link to them. Lost it?
booking-find-link = Find my tickets
booking-cancelled = This booking is cancelled. Its unused tickets no longer admit anyone.
booking-screening-cancelled = The screening has been cancelled. These tickets will not admit anyone; contact the festival about a refund or another screening.
booking-booked-by = Booked by
booking-tickets = Tickets
booking-tickets-explained = One QR code per seat. Show it at the door on your phone or printed.
booking-open-to-print = Open to print
booking-cant-come = Can't come? Cancel to give your seats to someone else.
booking-cancel = Cancel seats…
ticket-status-cancelled = Cancelled
ticket-status-used = Used at the door
ticket-status-valid = Valid
ticket-seat-of = Seat { $seat } of { $seats }
ticket-qr-label = QR code of the ticket for seat { $seat } of { $seats }
ticket-title = Ticket — { $film }
ticket-holder = Holder
ticket-seat = Seat
ticket-status = Status
ticket-all-of-booking = All tickets of this booking

find-title = Find my tickets
find-done = If this address has bookings, a message listing them is on its way, each with a link to see, print or cancel the tickets. It can take a few minutes; check the spam folder too.
find-explained = Lost the message with your tickets? Give the e-mail address you booked with, and we will send it every current booking.
find-email = E-mail address
find-send = Send me my tickets

signin-title = Staff sign-in
signin-credential = Your credential
signin-submit = Sign in
signin-explained = Credentials are created by an organiser and shown once.

error-page-status = Error { $status }.
error-page-back = Back to the festivals
signin-invalid = That credential is not valid, or it has been revoked.
http-400 = The request could not be read
http-401 = Please sign in
http-403 = Not allowed
http-404 = Not found
http-409 = That cannot be done now
http-413 = Too large
http-408 = Too slow
http-422 = Please check what you entered
http-429 = Too many requests
http-405 = Not allowed here
http-503 = Temporarily unavailable
http-error = Something went wrong

waitlist-title = Waiting list — { $film }
waitlist-heading = Waiting list: { $film }
waitlist-just-joined = You are on the waiting list. We sent this page's link to { $email }: keep it to see your place or leave the list.
waitlist-name = Name
waitlist-status-waiting = Waiting — number { $place } in line
waitlist-status-offered = Seats are held for you until { $until }
waitlist-status-claimed = Booked: your tickets were sent to { $email }
waitlist-status-expired = The offer expired and passed to the next person in line
waitlist-status-left = You left the waiting list
waitlist-status-removed = Removed from the waiting list by the festival
waitlist-offer = { $seats ->
    [one] 1 seat is yours if you claim it before { $until }. Your ticket comes at once, and by mail.
   *[other] { $seats } seats are yours if you claim them before { $until }. Your tickets come at once, and by mail.
}
waitlist-claim = Claim my seats
waitlist-decline = No thanks — give them to the next person
waitlist-explained = When seats free up, they are offered in order to the first people in line whose number of seats fits. You will get an e-mail with a link to claim them; they are held for you for a limited time.
waitlist-leave = Leave the waiting list

booking-seats-cancelled = The seats you chose are cancelled and free for others; your other tickets below still admit you.
booking-seats-given-back = { $n ->
    [one] 1 given back
   *[other] { $n } given back
}
booking-ticket-cancelled = Cancelled: this ticket no longer admits anyone.
booking-back-to-programme = The programme of { $festival }
ticket-doors-open = Doors open
ticket-print = Print
cancel-title = Cancel seats — { $film }
cancel-keep = Keep my booking as it is
cancel-consequence = The seats you choose are given back: their tickets stop admitting anyone at once, and the seats go to the waiting list or to whoever books next. This cannot be undone. You will get a confirmation by e-mail.
cancel-which = Which seats do you give back?
cancel-submit = Cancel the chosen seats
