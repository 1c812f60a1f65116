# Pass de festival : erreurs et mots de l'API et des pages des pass.

thing-pass-type = type de pass
thing-pass = pass
thing-reservation = réservation
error-pass-category = Choisissez une catégorie : audience, press, industry, jury, guest ou volunteer.
error-pass-days = Le dernier jour de validité ne peut précéder le premier.
error-too-many = { $label } en compte trop : au plus { $max }.
error-pass-unknown-film = L'un de ces films n'existe pas.
error-pass-unknown-venue = L'un de ces lieux n'existe pas.
error-pass-type-unknown = Ce festival n'a pas ce type de pass.
error-pass-exists = Cette adresse a déjà un pass de ce type.
error-pass-token = Envoyez le jeton privé du pass (Authorization: Bearer) ou connectez-vous comme organisateur.
error-pass-revoked = Ce pass a été révoqué.
error-pass-not-valid = Ce pass n'est pas valable pour cette séance.
error-pass-already-reserved = Ce pass a déjà une place à cette séance.
error-pass-quota = Ce pass a atteint sa limite de réservations.
error-pass-overlaps = Ce pass a déjà une place à une séance à la même heure.
error-pass-no-shows = Après { $count } séances manquées, ce pass pourra de nouveau réserver à partir du { $until }.
error-pass-seat-used = Cette place a été utilisée : elle ne peut être rendue.
