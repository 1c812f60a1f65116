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
error-pass-already-reserved = This pass already holds a seat at this screening.
error-pass-quota = This pass has reached its limit of reservations.
error-pass-overlaps = This pass holds a seat at a screening at the same time.
error-pass-no-shows = After { $count } screenings missed, this pass can reserve again from { $until }.
error-pass-seat-used = This seat was used: it cannot be given back.
import-not-utf8 = The file is not UTF-8 text: save it as "CSV UTF-8".
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
