# Festival passes: errors and words of the passes API and pages.

thing-pass-type = pass type
thing-pass = pass
thing-reservation = reservation
error-pass-category = Choose a category: audience, press, industry, jury, guest or volunteer.
error-pass-days = The last valid day cannot come before the first.
error-too-many = { $label } lists too many: at most { $max }.
error-pass-unknown-film = One of these films does not exist.
error-pass-unknown-venue = One of these venues does not exist.
error-pass-type-unknown = This festival has no such pass type.
error-pass-exists = This address already holds a pass of this type.
error-pass-token = Send the pass's private token (Authorization: Bearer) or sign in as an organiser.
error-pass-revoked = This pass has been revoked.
error-pass-not-valid = This pass is not valid for this screening.
error-pass-name-language = Names are given by language: en, fr or vi.
error-pass-type-strands = Passes of this type hold seats at { $count } screenings it would no longer open: give those seats back first.
error-pass-already-reserved = This pass already holds a seat at this screening.
error-pass-quota = This pass has reached its limit of reservations.
error-pass-overlaps = This pass holds a seat at a screening at the same time.
error-pass-no-shows = After { $count } screenings missed, this pass can reserve again from { $until }.
error-pass-seat-used = This seat was used: it cannot be given back.
import-not-utf8 = The file is not UTF-8 text: save it as "CSV UTF-8".
import-programme-repeated = The same screening as on line { $line }.
import-programme-capacity-differs = This screening is there already with { $capacity } seats: an import changes no screening (change it on its page).
import-programme-clash = The same room at the same time as line { $line } ({ $film }).
import-programme-which-film = More than one film is called “{ $title }”: give its year.
import-programme-new-film = “{ $title }” is a new film: give its director, year, running time and country.
import-programme-venue-unknown = No venue “{ $name }”: Marquee has { $known }. Venues (with their rooms) are set up once, before the programme.
import-programme-venue-ambiguous = More than one venue is called “{ $name }” (in { $cities }).
import-unreadable = The file cannot be read as CSV: { $detail }
import-missing-column = The header has no column "{ $column }".
import-unknown-column = Unknown column "{ $column }": the columns are { $known }.
import-repeated-column = This column is named twice.
import-too-many-cells = This row has { $count } cells; the header has { $columns } columns.
import-too-many-rows = At most { $max } rows in one file.
import-pass-repeated = This address and pass type are already on line { $line }.
import-pass-type-unknown = No pass type "{ $name }": this festival has { $known }.
pass-title = Your pass · { $festival }
pass-heading = Your { $kind } pass
pass-qr-label = The QR code of { $name }'s pass
pass-show-at-door = Show this code at the door, with your reservation for the screening (or printed: the badge came by mail).
pass-photo-alt = Photo of { $name }
pass-revoked = This pass was revoked by the festival: it no longer opens any door.
pass-reservations = Your reservations
pass-no-reservations = No reservation yet.
pass-reserve-heading = Reserve a seat
pass-nothing-to-reserve = No screening to come that this pass can reserve.
pass-seats-left = { $count ->
    [one] 1 seat left
   *[other] { $count } seats left
}
pass-reserve = Reserve: { $film }
pass-give-back = Give back my seat: { $film }
pass-reserved = Reserved: your seat is held. Come before the release time, or it goes to people waiting.
pass-given-back = Your seat was given back.
pass-status-reserved = reserved
pass-status-walk-in = taken at the door
pass-status-used = used
pass-status-cancelled = given back
pass-status-released = released (not used in time)
error-pass-erased = This holder's details were erased: there is nobody to mail.

# The organisers' passes page.
admin-link-passes = Passes
admin-passes-title = Passes · { $festival }
admin-pass-types = Pass types
admin-pass-types-none = No pass type yet: make one below, then issue passes of it.
admin-pass-category = Category
admin-pass-limits = Limits
admin-pass-walk-in = Walk-ins
admin-pass-release = Release
admin-yes = yes
admin-no = no
admin-pass-release-minutes = { $count } min before
admin-pass-limit-total = { $count } in all
admin-pass-limit-day = { $count } a day
admin-pass-limit-held = { $count } at once
admin-pass-limit-no-shows = held back after { $count } no-shows
admin-pass-type-new = A new pass type
admin-pass-max-reservations = Reservations in all (empty: no limit)
admin-pass-max-per-day = Reservations per day (empty: no limit)
admin-pass-max-held = Reservations held at once (empty: no limit)
admin-pass-release-field = Release unused seats this many minutes before the start (default 10)
admin-pass-no-show-field = After this many no-shows, no reservation for 24 hours (empty: never)
admin-pass-walk-in-field = The door admits it without a reservation while seats are left
admin-pass-name-fr = Name in French (optional)
admin-pass-name-vi = Name in Vietnamese (optional)
admin-pass-type-create = Create the pass type
admin-pass-issue = Issue a pass
admin-pass-type = Pass type
admin-pass-email = E-mail address (the pass is mailed there)
admin-pass-organisation = Organisation (optional)
admin-pass-country = Country code (optional, e.g. VN)
admin-pass-issue-submit = Issue and mail the pass
admin-pass-import = Import a list
admin-pass-import-field = The list, as CSV (copied from a spreadsheet saved as "CSV UTF-8")
admin-pass-import-help = First line: name,email,pass_type (and, if you have them, organisation,country,lang). Up to 16 KB here (about 200 people); a longer list goes through the API. Check it first: nothing is written until every line is right, and importing the same list again changes nothing.
admin-pass-import-check = Check the list
admin-pass-import-submit = Import and mail the passes
admin-pass-import-would = The list is right. Passes to issue: { $created }; there already: { $unchanged }.
admin-pass-import-done = Imported. Passes issued and mailed: { $created }; there already: { $unchanged }.
admin-pass-import-problems = { $count ->
    [one] 1 problem: nothing was written.
   *[other] { $count } problems: nothing was written.
}
admin-pass-import-line = Line
admin-pass-import-column = Column
admin-pass-import-problem = Problem
admin-passes = Passes issued
admin-pass-search = Find a pass by name, address or organisation
admin-pass-search-submit = Search
admin-passes-none = No pass found.
admin-pass-status = Status
admin-pass-status-active = active
admin-pass-status-revoked = revoked
admin-pass-resend = Mail again to { $name }
admin-pass-revoke-confirm = I mean it
admin-pass-revoke = Revoke the pass of { $name }
admin-pass-revoke-confirm-needed = Tick "I mean it" to revoke a pass: it stops opening any door at once.
admin-pass-type-created = The pass type was created.
admin-pass-issued = The pass was issued and is being mailed.
admin-pass-revoked = The pass was revoked: it no longer opens any door, and its seats to come were given back.
admin-pass-resent = The pass is being mailed again.
error-festival-has-passes = This festival has pass types ({ $count }) and their passes: it cannot be deleted.
error-pass-give-back-closed = The screening has started: the seat can no longer be given back.
error-pass-type-exists = This festival already has a pass type of that name.
report-table-pass-types = pass types

## A holder's photo.

admin-pass-photo = Photo of { $name } (JPEG or PNG)
admin-pass-photo-upload = Upload the photo
admin-pass-photo-remove = Remove the photo
error-photo-format = The photo must be a JPEG or PNG picture.
error-photo-too-small = The photo is too small: at least 64 pixels a side.
error-photo-too-large = The picture is too large: at most 8,000 pixels a side.
