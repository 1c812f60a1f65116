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
error-pass-name-language = Les noms se donnent par langue : en, fr ou vi.
error-pass-type-strands = Des pass de ce type ont des places à { $count } séances qu’il n’ouvrirait plus : rendez d’abord ces places.
error-pass-already-reserved = Ce pass a déjà une place à cette séance.
error-pass-quota = Ce pass a atteint sa limite de réservations.
error-pass-overlaps = Ce pass a déjà une place à une séance à la même heure.
error-pass-no-shows = Après { $count } séances manquées, ce pass pourra de nouveau réserver à partir du { $until }.
error-pass-seat-used = Cette place a été utilisée : elle ne peut être rendue.
import-not-utf8 = Le fichier n’est pas du texte UTF-8 : enregistrez-le en « CSV UTF-8 ».
import-programme-repeated = La même séance qu’à la ligne { $line }.
import-programme-capacity-differs = Cette séance existe déjà avec { $capacity } places : un import ne change aucune séance (changez-la sur sa page).
import-programme-clash = La même salle à la même heure qu’à la ligne { $line } ({ $film }).
import-programme-which-film = Plusieurs films s’appellent « { $title } » : indiquez son année.
import-programme-new-film = « { $title } » est un nouveau film : indiquez son réalisateur, son année, sa durée et son pays.
import-programme-venue-unknown = Aucun lieu « { $name } » : Marquee connaît { $known }. Les lieux (et leurs salles) se créent une fois, avant le programme.
import-programme-venue-ambiguous = Plusieurs lieux s’appellent « { $name } » (à { $cities }).
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
pass-photo-alt = Photo de { $name }
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

# La page des pass des organisateurs.
admin-link-passes = Pass
admin-passes-title = Pass · { $festival }
admin-pass-types = Types de pass
admin-pass-types-none = Pas encore de type de pass : créez-en un ci-dessous, puis émettez des pass.
admin-pass-category = Catégorie
admin-pass-limits = Limites
admin-pass-walk-in = Sans réservation
admin-pass-release = Libération
admin-yes = oui
admin-no = non
admin-pass-release-minutes = { $count } min avant
admin-pass-limit-total = { $count } en tout
admin-pass-limit-day = { $count } par jour
admin-pass-limit-held = { $count } à la fois
admin-pass-limit-no-shows = suspendu après { $count } absences
admin-pass-type-new = Un nouveau type de pass
admin-pass-max-reservations = Réservations en tout (vide : sans limite)
admin-pass-max-per-day = Réservations par jour (vide : sans limite)
admin-pass-max-held = Réservations détenues à la fois (vide : sans limite)
admin-pass-release-field = Libérer les places non utilisées tant de minutes avant le début (10 par défaut)
admin-pass-no-show-field = Après tant d’absences, pas de réservation pendant 24 heures (vide : jamais)
admin-pass-walk-in-field = L’entrée l’admet sans réservation tant qu’il reste des places
admin-pass-name-fr = Nom en français (facultatif)
admin-pass-name-vi = Nom en vietnamien (facultatif)
admin-pass-type-create = Créer le type de pass
admin-pass-issue = Émettre un pass
admin-pass-type = Type de pass
admin-pass-email = Adresse électronique (le pass y est envoyé)
admin-pass-organisation = Organisation (facultatif)
admin-pass-country = Code du pays (facultatif, ex. VN)
admin-pass-issue-submit = Émettre et envoyer le pass
admin-pass-import = Importer une liste
admin-pass-import-field = La liste, en CSV (copiée d’un tableur enregistré en « CSV UTF-8 »)
admin-pass-import-help = Première ligne : name,email,pass_type (et, si vous les avez, organisation,country,lang). Jusqu’à 16 Ko ici (environ 200 personnes) ; une liste plus longue passe par l’API. Vérifiez-la d’abord : rien n’est écrit tant que chaque ligne n’est pas juste, et importer la même liste à nouveau ne change rien.
admin-pass-import-check = Vérifier la liste
admin-pass-import-submit = Importer et envoyer les pass
admin-pass-import-would = La liste est juste. Pass à émettre : { $created } ; déjà là : { $unchanged }.
admin-pass-import-done = Importé. Pass émis et envoyés : { $created } ; déjà là : { $unchanged }.
admin-pass-import-problems = { $count ->
    [one] 1 problème : rien n’a été écrit.
   *[other] { $count } problèmes : rien n’a été écrit.
}
admin-pass-import-line = Ligne
admin-pass-import-column = Colonne
admin-pass-import-problem = Problème
admin-passes = Pass émis
admin-pass-search = Trouver un pass par nom, adresse ou organisation
admin-pass-search-submit = Rechercher
admin-passes-none = Aucun pass trouvé.
admin-pass-status = État
admin-pass-status-active = actif
admin-pass-status-revoked = révoqué
admin-pass-resend = Renvoyer à { $name }
admin-pass-revoke-confirm = Je confirme
admin-pass-revoke = Révoquer le pass de { $name }
admin-pass-revoke-confirm-needed = Cochez « Je confirme » pour révoquer un pass : il n’ouvre plus aucune porte dès maintenant.
admin-pass-type-created = Le type de pass a été créé.
admin-pass-issued = Le pass a été émis et part par courriel.
admin-pass-revoked = Le pass a été révoqué : il n’ouvre plus aucune porte, et ses places à venir ont été rendues.
admin-pass-resent = Le pass part de nouveau par courriel.
error-festival-has-passes = Ce festival a des types de pass ({ $count }) et leurs pass : il ne peut être supprimé.
error-pass-give-back-closed = La séance a commencé : la place ne peut plus être rendue.
error-pass-type-exists = Ce festival a déjà un type de pass de ce nom.
report-table-pass-types = types de pass

## A holder's photo.

admin-pass-photo = Photo de { $name } (JPEG ou PNG)
admin-pass-photo-upload = Envoyer la photo
admin-pass-photo-remove = Retirer la photo
error-photo-format = La photo doit être une image JPEG ou PNG.
error-photo-too-small = La photo est trop petite : au moins 64 pixels de côté.
error-photo-too-large = L’image est trop grande : au plus 8 000 pixels de côté.
