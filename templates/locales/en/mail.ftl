# Outgoing mail, written in the language of the person it is for: tickets, cancellations, changes,
# "find my tickets", the waiting list; the printed tickets (PDF) and the calendar event.
# $film is a film's title, $when a screening's date and time ("Friday 12 December 2025, 20:00"),
# $zone the time zone's name (Europe/Paris), $place the venue, room and address, $name a person.

# Every message.
mail-hello = Hello { $name },
mail-hello-anonymous = Hello,
mail-footer = Sent by the festival's ticketing (Marquee). Lost this message? Your tickets can always be sent again from { $url }
mail-qr-alt = QR code of { $ticket }
# Shown to organisers in the outbox instead of a subject when the tickets were not mailed.
mail-not-sent-cancelled = Not sent: the booking was cancelled before its tickets were mailed
mail-not-sent-no-bookings = Not sent: the address has no current booking

# The tickets of a booking or an invitation, or of a screening that has moved.
mail-tickets-subject = Your tickets: { $film }, { $when }
mail-tickets-heading = { $film } — your tickets
mail-changed-subject = Changed: { $film }, now { $when }
mail-changed-heading = { $film } has moved
mail-changed-intro = The screening you booked has a new time or place. Your tickets stay valid.
mail-when-where = The screening is on { $when } ({ $zone }), at { $place }.
mail-doors-open = Doors open at { $time }. Show one code per person at the door, on your phone or printed: every code admits one person once.
mail-attached = { $count ->
    [one] 1 ticket attached: one ticket per page (tickets.pdf) and the screening for your calendar (screening.ics).
   *[other] { $count } tickets attached: one ticket per page (tickets.pdf) and the screening for your calendar (screening.ics).
}
mail-manage-link = See, print or cancel your tickets
# Above each inline QR code; $category is Public, Guest, Press or Jury.
mail-ticket-label = Seat { $seat } of { $seats } · { $category } · { $name }

# The printed tickets (tickets.pdf), one per page.
mail-pdf-title = { $festival }: { $film }
mail-pdf-when = { $when } ({ $zone })
mail-pdf-doors = Doors open { $time }
mail-pdf-seat = Seat { $seat } of { $seats } · { $category }

# The screening as a calendar event (screening.ics).
mail-calendar-summary = { $film } — { $festival }
mail-calendar-description = { $seats ->
    [one] 1 ticket for { $name }. Doors open { $minutes } minutes before the start. { $url }
   *[other] { $seats } tickets for { $name }. Doors open { $minutes } minutes before the start. { $url }
}

# A booking cancelled by its holder, or a screening cancelled by the festival.
mail-cancelled-subject = Cancelled: { $film }, { $when }
mail-cancelled-heading = { $film } — cancelled
mail-screening-cancelled = We are sorry: the festival has cancelled the screening of { $film } on { $when } at { $place }. Your tickets no longer admit anyone.
mail-booking-cancelled = Your booking for { $film } on { $when } at { $place } is cancelled, as you asked. Its tickets no longer admit anyone, and the seats are free for others.
mail-programme-link = See the programme

# The waiting list: a place in line, then seats offered and held until a time.
mail-waitlist-subject = On the waiting list: { $film }, { $when }
mail-waitlist-heading = { $film } — waiting list
mail-waitlist-joined = { $seats ->
    [one] You are on the waiting list for { $film } on { $when } at { $place }, for 1 seat.
   *[other] You are on the waiting list for { $film } on { $when } at { $place }, for { $seats } seats.
}
mail-waitlist-explained = When seats free up, they are offered in order; we will write to you, and hold them for you for a limited time.
mail-waitlist-link = See my place or leave the list
mail-offer-subject = Seats for you: { $film }, { $when }
mail-offer-heading = { $film } — seats for you
mail-offer-freed = Seats have freed up for { $film } on { $when } at { $place }, and you are next on the waiting list.
# $time and $day: when the hold ends ("20:00", "Friday 12 December 2025").
mail-offer-held = { $seats ->
    [one] We are holding 1 seat for you until { $time } on { $day } ({ $zone }). Claim it with the link below: your ticket comes at once. If you do not claim it by then, it goes to the next person in line.
   *[other] We are holding { $seats } seats for you until { $time } on { $day } ({ $zone }). Claim them with the link below: your tickets come at once. If you do not claim them by then, they go to the next person in line.
}
mail-offer-claim-link = Claim my seats
mail-offer-closed = Seats were offered to you for { $film } on { $when }, but the offer is no longer open.
mail-offer-entry-link = See my waiting-list entry

# "Find my tickets": every current booking of an address.
mail-find-subject = Your tickets
mail-find-heading = Your tickets
mail-find-intro = { $count ->
    [one] Someone (we hope you) asked for the tickets booked with this address. There is one booking. Each link below shows the tickets, to print or to cancel.
   *[other] Someone (we hope you) asked for the tickets booked with this address. There are { $count } bookings. Each link below shows the tickets, to print or to cancel.
}
mail-find-booking = { $seats ->
    [one] { $film }, { $when } at { $venue } — 1 ticket
   *[other] { $film }, { $when } at { $venue } — { $seats } tickets
}

# The organiser's invitation form: the language the guest's mail is written in.
mail-invitation-lang = Language of the guest's mail

# API and form errors about the language.
error-lang = Choose English, French or Vietnamese (en, fr or vi).

mail-seats-cancelled-subject = Seats cancelled: { $film }, { $when }
mail-seats-cancelled-heading = { $film } — seats cancelled
mail-seats-cancelled = { $cancelled ->
    [one] As you asked, 1 seat for { $film } on { $when } is cancelled and free for someone else.
   *[other] As you asked, { $cancelled } seats for { $film } on { $when } are cancelled and free for someone else.
} { $kept ->
    [one] Your other ticket still admits you.
   *[other] Your other { $kept } tickets still admit you.
}

# File names of the attachments (letters, digits and dashes: every mail program shows them whole).
mail-file-tickets = tickets
mail-file-screening = screening
mail-pass-subject = Your pass for { $festival }
mail-pass-heading = Your { $kind } pass
mail-pass-intro = Here is your festival pass ({ $category }). Show its QR code at the door, on your phone or printed: the badge is attached.
mail-pass-reserve = Reserve your seat for each screening you want to see on your pass page.
mail-pass-link = Your pass page: reserve and give back seats
mail-pass-label = { $kind } pass ({ $category }) · { $name }
mail-pass-pdf-title = { $festival }: pass of { $name }
mail-file-pass = pass
mail-not-sent-pass-revoked = Not sent: the pass was revoked.
mail-not-sent-staff-revoked = Not sent: this person's access was revoked.
mail-staff-invitation-subject = Your invitation to the festival team
mail-staff-invitation-intro = You have been added to a festival's team on Marquee. Open the link below to set up your account (it works once, for { $days } days).
mail-staff-invitation-link = Set up my account
mail-staff-sign-in-subject = Your sign-in link
mail-staff-sign-in-intro = Someone asked to sign in to Marquee with this address. If it was you, open the link below (it works once, for { $minutes } minutes). If not, ignore this message.
mail-staff-sign-in-link = Sign in
