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
import-not-utf8 = Le fichier n’est pas du texte UTF-8 : enregistrez-le en « CSV UTF-8 ».
import-unreadable = Le fichier ne peut être lu comme CSV : { $detail }
import-missing-column = L’en-tête n’a pas de colonne « { $column } ».
import-unknown-column = Colonne inconnue « { $column } » : les colonnes sont { $known }.
import-repeated-column = Cette colonne est nommée deux fois.
import-too-many-cells = Cette ligne a { $count } cellules ; l’en-tête a { $columns } colonnes.
import-too-many-rows = Au plus { $max } lignes par fichier.
import-pass-repeated = Cette adresse et ce type de pass figurent déjà ligne { $line }.
import-pass-type-unknown = Pas de type de pass « { $name } » : ce festival a { $known }.
pass-title = Votre pass · { $festival }
pass-heading = Votre pass { $kind }
pass-qr-label = Le code QR du pass de { $name }
pass-show-at-door = Montrez ce code à l’entrée, avec votre réservation pour la séance (ou imprimé : le badge est arrivé par courriel).
pass-revoked = Ce pass a été révoqué par le festival : il n’ouvre plus aucune porte.
pass-reservations = Vos réservations
pass-no-reservations = Pas encore de réservation.
pass-reserve-heading = Réserver une place
pass-nothing-to-reserve = Aucune séance à venir que ce pass puisse réserver.
pass-seats-left = { $count ->
    [one] 1 place restante
   *[other] { $count } places restantes
}
pass-reserve = Réserver : { $film }
pass-give-back = Rendre ma place : { $film }
pass-reserved = Réservé : votre place vous attend. Venez avant l’heure de libération, sinon elle ira aux personnes en attente.
pass-given-back = Votre place a été rendue.
pass-status-reserved = réservée
pass-status-walk-in = prise à l’entrée
pass-status-used = utilisée
pass-status-cancelled = rendue
pass-status-released = libérée (non utilisée à temps)
error-pass-erased = Les coordonnées de ce titulaire ont été effacées : il n’y a personne à qui écrire.
