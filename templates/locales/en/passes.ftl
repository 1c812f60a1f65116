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
