# Erreurs : le `message` des erreurs JSON de l’API et le texte des pages d’erreur.
# Le code `error` qui l’accompagne (not_found, sold_out…) n’est jamais traduit.

error-not-found = { $thing } introuvable
thing-screening = Séance
thing-festival = Festival
thing-venue = Lieu
thing-film = Film
thing-booking = Réservation
thing-ticket = Billet
thing-scan = Scan
thing-waitlist-entry = Inscription sur la liste d’attente
thing-message = Message
thing-staff-member = Membre de l’équipe
thing-page = Page
error-rate-limited = Trop de requêtes depuis cette adresse ; réessayez dans { $seconds } s.
error-busy = La base de données est occupée ; veuillez réessayer.
error-internal = Une erreur est survenue de notre côté ; elle a été enregistrée.
error-database-unavailable = La base de données est indisponible ; veuillez réessayer.
error-already-exists = Cet élément existe déjà.

## Les corps des requêtes de l’API (lus par des développeurs : le détail de l’analyseur est conservé).

error-json-syntax = Le corps de la requête n’est pas du JSON valide : { $detail }
error-json-body = Le corps JSON n’a pas pu être lu : { $detail }
error-json-field = { $label } : { $detail }
error-body-not-json = Le corps de la requête doit être du JSON (Content-Type: application/json).
error-body-too-large = Le corps de la requête ne doit pas dépasser { $bytes } octets.
error-body-timeout = Le corps de la requête n’est pas arrivé à temps ; veuillez réessayer.
error-unknown-method = Ce serveur ne connaît pas cette méthode HTTP.
error-direction-characters = Le champ { $label } contient des caractères invisibles qui changent le sens du texte ; veuillez les retirer.
error-body-unreadable = Le corps de la requête n’a pas pu être lu : { $detail }

## Formulaires, adresses et paramètres d’URL.

error-form-too-large = Ce formulaire est trop long pour être envoyé : il ne doit pas dépasser { $bytes } octets. Veuillez raccourcir votre texte.
error-form-unreadable = Ce formulaire n’a pas pu être lu ; rechargez la page et réessayez. ({ $detail })
error-bad-path = Il n’y a rien à cette adresse : { $detail }
error-bad-query = L’adresse contient une valeur illisible : { $detail }
error-no-route = Il n’y a rien à { $method } { $path }.

## Connexion et droits.

error-credential-revoked = Cet identifiant n’est pas valide, ou il a été révoqué.
error-sign-in-staff = Veuillez vous connecter en tant que membre de l’équipe du festival pour effectuer cette action.
error-sign-in-organiser = Veuillez vous connecter en tant qu’organisateur pour effectuer cette action.
error-organisers-only = Seuls les organisateurs peuvent effectuer cette action.
error-cookies-needed = Cette page a besoin des cookies : veuillez les autoriser dans votre navigateur.
error-form-expired = Ce formulaire a expiré ou a été envoyé depuis un autre site. Rechargez la page et réessayez.
error-cross-site-form = Ce formulaire a été envoyé depuis un autre site : il n’a pas été accepté. Ouvrez la page sur ce site et renvoyez-le.
error-metrics-token = L’accès aux métriques exige le jeton MARQUEE_METRICS_TOKEN (Authorization: Bearer).

## L’état du service.

error-database-silent = La base de données ne répond pas.
error-stopping = Cette instance s’arrête ; une autre répond.

## Valeurs saisies dans les formulaires et les champs de l’API. `$field` est le code du champ
## (name, email, starts_at…), laissé tel quel pour qu’un client de l’API sache lequel.

error-required = { $field ->
    [name] Veuillez indiquer un nom.
    [email] Veuillez indiquer votre adresse e-mail.
   *[other] Veuillez remplir le champ { $label }.
}
error-too-long = Le champ { $label } est trop long : { $max } caractères au maximum.
error-control-characters = Le champ { $label } contient des caractères interdits ici, comme des retours à la ligne.
error-number-between = Le champ { $label } doit être un nombre compris entre { $min } et { $max }.
error-number-too-big = La valeur du champ { $label } est trop grande.
error-email = Veuillez saisir une adresse e-mail valide, comme nom@example.org.
error-country = Choisissez votre pays.
error-slug = Le slug (le nom court dans l’adresse) ne peut contenir que des lettres minuscules, des chiffres et des tirets isolés, comme vfw-paris-2025.
error-timezone = Le fuseau horaire (timezone) doit être un nom de fuseau comme Europe/Paris.
error-years = Le champ { $label } doit se situer entre les années { $first } et { $last }.
error-time-skipped = { $label } : cette heure n’existe pas dans le fuseau { $zone }, à cause du changement d’heure.
error-time = Le champ { $label } doit être une date et une heure comme 2025-12-12T20:00 ou 2025-12-12T20:00:00+01:00.

## Les formulaires des organisateurs.

error-whole-number = Le champ { $label } doit être un nombre entier, comme 12.
error-date = Le champ { $label } doit être une date comme 2025-12-06.
error-rooms-line = Écrivez chaque salle sur sa propre ligne sous la forme « nom : places », par exemple « Salle 1 : 120 » ; cette ligne ne respecte pas ce format : { $line }
error-room-choose = Choisissez un lieu et une salle.
error-role = Choisissez un rôle : organisateur ou équipe d’accueil.
error-scope = Choisissez sur quoi cette personne peut intervenir : un festival, un lieu, ou tout.
error-scope-no-festival = Ce festival n’existe plus.
error-scope-no-venue = Ce lieu n’existe plus.
error-own-credential = Vous ne pouvez pas révoquer l’identifiant avec lequel vous êtes connecté.

## Réservation et annulation.

error-category = Choisissez une catégorie : guest (invité), press (presse) ou jury.
error-screening-cancelled = Cette séance a été annulée.
error-booking-closed = Les réservations sont closes : la séance a commencé.
error-seats-held-for-waitlist = Les places libres sont d’abord proposées à la liste d’attente. Inscrivez-vous sur la liste pour prendre rang.
error-sold-out = Cette séance est complète.
error-only-seats-left = { $count ->
    [one] Il ne reste qu’une place, et vous en demandez { $asked }.
   *[other] Il ne reste que { $count } places, et vous en demandez { $asked }.
}
error-booking-all-used = Tous les billets de cette réservation ont déjà été utilisés à l’entrée : elle ne peut donc pas être annulée.
error-booking-cancelled-meanwhile = Cette réservation a été annulée au même moment. Rechargez la page pour le constater.
error-manage-token = Envoyez le jeton de gestion de la réservation sous la forme « Authorization: Bearer … ».

## La liste d’attente.

error-screening-started = La séance a commencé.
error-waitlist-closed = La liste d’attente de cette séance est close.
error-seats-available = { $count ->
    [one] { $count } place est disponible : réservez-la directement.
   *[other] { $count } places sont disponibles : réservez-les directement.
}
error-offer-claimed = Ces places ont déjà été réservées : les billets vous ont été envoyés par e-mail.
error-no-offer-yet = Aucune place ne vous est encore proposée. Vous recevrez un e-mail dès que ce sera le cas.
error-offer-closed = Cette offre n’est plus valable : les places ont été proposées à la personne suivante sur la liste.
error-offer-expired = Cette offre a expiré : les places ont été proposées à la personne suivante sur la liste.
error-offer-minutes = offer_minutes doit être compris entre 5 et 1440 (24 heures).
error-position = La position doit être supérieure ou égale à 1.

## Festivals, lieux, films et séances.

error-festival-ends-before-start = Le festival ne peut pas se terminer (ends_on) avant d’avoir commencé (starts_on).
error-festival-too-long = Un festival ne peut pas durer plus d’un an.
error-rooms-count = Un lieu doit compter entre 1 et { $max } salles.
error-room-twice = { $label } : la salle « { $name } » figure deux fois.
error-uuid = Le champ { $label } doit être un id (un UUID).
error-room-unknown = Choisissez l’une des salles du lieu : { $rooms }.
error-screening-ends-before-start = La séance doit se terminer (ends_at) après son début (starts_at).
error-screening-too-long = Une séance ne peut pas durer plus de 24 heures.
error-screening-status = Le statut doit être scheduled (programmée) ou cancelled (annulée).
error-no-such-film = Aucun film ne correspond à cet id (film_id).
error-no-such-venue = Aucun lieu ne correspond à cet id (venue_id).
error-no-such-festival = Aucun festival ne correspond à cet id (festival_id).
error-festival-in-use = { $count ->
    [one] Le festival compte { $count } séance : annulez-la plutôt que de supprimer le festival.
   *[other] Le festival compte { $count } séances : annulez-les plutôt que de supprimer le festival.
}
error-venue-in-use = { $count ->
    [one] Le lieu compte { $count } séance : il ne peut donc pas être supprimé.
   *[other] Le lieu compte { $count } séances : il ne peut donc pas être supprimé.
}
error-film-in-use = { $count ->
    [one] Le film compte { $count } séance : il ne peut donc pas être supprimé.
   *[other] Le film compte { $count } séances : il ne peut donc pas être supprimé.
}
error-room-in-use = Des séances sont programmées dans la salle « { $room } » : elle ne peut donc pas être supprimée.
error-room-too-small = { $capacity ->
    [one] La salle « { $room } » a une séance prévue pour { $capacity } place : elle ne peut donc pas être réduite à { $seats }.
   *[other] La salle « { $room } » a une séance prévue pour { $capacity } places : elle ne peut donc pas être réduite à { $seats }.
}
error-capacity-below-booked = { $count ->
    [one] { $count } place est déjà réservée : la capacité ne peut pas être inférieure.
   *[other] { $count } places sont déjà réservées : la capacité ne peut pas être inférieure.
}
error-capacity-below-pass-seats = La jauge ne peut pas être inférieure aux { $count } places réservées aux titulaires de pass : changez-les d’abord.
error-festival-staff-scoped = { $count ->
    [one] { $count } identifiant d’équipe est limité à ce festival : révoquez-le d’abord.
   *[other] { $count } identifiants d’équipe sont limités à ce festival : révoquez-les d’abord.
}
error-venue-staff-scoped = { $count ->
    [one] { $count } identifiant d’équipe est limité à ce lieu : révoquez-le d’abord.
   *[other] { $count } identifiants d’équipe sont limités à ce lieu : révoquez-les d’abord.
}
error-slug-taken = Un autre festival utilise déjà ce slug.
error-venue-exists = Un lieu portant ce nom existe déjà dans cette ville.
error-film-exists = Un film avec ce titre et cette année existe déjà.
error-writer-stopped = La base de données ne peut pas enregistrer de modifications pour le moment ; veuillez réessayer dans un instant.
error-manage-token-or-query = Envoyez le jeton de gestion de la réservation sous la forme « Authorization: Bearer … » ou avec ?token=.
error-not-an-image = Le corps doit être une image PNG ou JPEG.
error-scan-own-festival-only = Cet identifiant ne peut scanner que les billets de son propre festival.
error-scan-own-venue-only = Cet identifiant ne peut scanner des billets que dans son propre lieu.
error-mail-status = Le statut doit être queued (en file), sent (envoyé) ou failed (échec).
error-mail-no-file = Ce message n’a pas été écrit dans un fichier.
error-mail-file-gone = Le fichier de ce message a disparu : { $detail }
error-resend-cancelled = Cette réservation est annulée : il n’y a aucun billet à envoyer.
error-no-such-table = Cette table n’existe pas. Choisissez parmi : { $tables }.
error-organiser-scope = Les organisateurs voient tous les festivals : seule l’équipe d’accueil peut être limitée à un festival ou à un lieu.

## Scans à l’entrée (lus par les bénévoles et par les développeurs des appareils de l’entrée).

error-scan-target = Envoyez screening_id ou venue_id (exactement l’un des deux).
error-scanned-at = scanned_at doit être une date et une heure comme 2025-12-12T20:00:00+01:00 (RFC 3339).
error-nonce-reused = Ce nonce a déjà servi pour un autre code ou une autre porte. Envoyez un nouveau nonce à chaque scan, et le même nonce uniquement pour réessayer le même scan.
error-no-screening-today = Aucune séance dans ce lieu aujourd’hui.
error-annul-other-door = Seule la porte qui a laissé entrer un billet peut annuler cette entrée.
error-annul-not-admission = Seule une entrée peut être annulée.
error-annul-too-late = Une entrée ne peut être annulée que dans les { $seconds } secondes qui suivent.
error-annul-not-last = Seule la dernière entrée de cette porte peut être annulée.
error-annul-booking-cancelled = La réservation a été annulée après cette entrée : celle-ci ne peut plus être annulée.
error-annul-already = Cette entrée a déjà été annulée.
error-sync-too-many = Envoyez au plus { $max } scans par requête, et le reste dans une autre.
error-scanned-at-window = scanned_at doit se situer dans les 7 derniers jours, et pas dans le futur : vérifiez l’horloge de l’appareil.
error-device-time = device_time doit être l’heure de l’appareil, comme 2025-12-12T20:00:00+01:00 (RFC 3339).

## La file d’attente sur place.

error-standby-off = Cette séance n’a pas de file d’attente sur place (les organisateurs peuvent en ouvrir une sur la page de la séance).
error-standby-nobody-waiting = Aucun numéro d’attente à appeler : donnez d’abord des numéros.
error-standby-not-released = La file d’attente sur place commence à { $time } : d’ici là, les places sont gardées pour les titulaires de billets.
error-standby-no-seats = Aucune place libre pour la file d’attente sur place : toutes les places sont occupées ou gardées pour les titulaires de billets en retard.
error-standby-release-minutes = release_minutes_before_start doit être compris entre 0 et 240.
error-standby-keep-for-late = keep_for_late doit être compris entre 0 et la capacité ({ $capacity }).
error-csv-sep = Le séparateur doit être comma (virgule) ou semicolon (point-virgule).
error-cancel-choose-seats = Choisissez au moins une place à annuler.
error-cancel-not-these = Certaines des places choisies ne peuvent plus être annulées (déjà utilisées à l’entrée ou déjà annulées) : rien n’a été modifié.
error-door-is-code = Le nom de l’entrée ressemble à un code de billet : saisissez le nom de l’entrée (par ex. « Porte Pathé 1 »), puis scannez.
error-screening-past = Cet horaire est déjà passé. Vérifiez la date et l’heure, ou confirmez pour l’ajouter quand même.
error-screening-outside-festival = Ce jour est en dehors des dates du festival ({ $dates }). Vérifiez la date, ou confirmez pour l’ajouter quand même.
error-screening-overlaps = { $film } est projeté dans cette salle à ce moment-là ({ $when }). Choisissez une autre salle ou un autre horaire, ou confirmez pour l’ajouter quand même.

# Fields as people read them (`$label` in the messages above; `$field` stays the code).
field-name = Nom
field-email = Adresse e-mail
field-country = Pays
field-seats = Places
field-title = Titre
field-original-title = Titre original
field-director = Réalisation
field-year = Année
field-runtime = Durée
field-slug = Nom dans l’adresse
field-starts-on = Premier jour
field-ends-on = Dernier jour
field-timezone = Fuseau horaire
field-attendance-goal = Objectif de fréquentation
field-city = Ville
field-address = Adresse
field-rooms = Salles
field-room = Salle
field-starts-at = Début
field-ends-at = Fin
field-capacity = Capacité
field-doors-open = Ouverture des portes
field-doors-close = Fermeture des portes
field-door = Entrée
field-language = Langue
field-subtitles = Sous-titres
field-scanned-at = Heure du scan
error-screening-in-use = Des personnes ont réservé cette séance, se sont inscrites sur ses listes ou y ont été scannées : annulez-la plutôt, pour qu’elles soient prévenues.
error-idempotency-key = Idempotency-Key doit compter 1 à 255 caractères ASCII visibles (un UUID, par exemple).
error-idempotency-key-reused = Cette Idempotency-Key a servi pour une autre requête : envoyez une nouvelle clé avec une nouvelle requête.
error-idempotency-key-in-use = La première requête avec cette Idempotency-Key n’a pas encore de réponse (elle est en cours, ou elle a échoué) : réessayez dans un instant, ou envoyez la requête avec une nouvelle clé.
error-permission-needed = Votre rôle ne le permet pas ici : il faut le droit sur { $permission }.
error-instance-admin-only = Seul un administrateur de ce Marquee peut effectuer cette action.
error-team-role = Les rôles doivent être parmi owner, programme, box_office, door_lead, reports et door.
error-team-no-role = Choisissez au moins un rôle.
error-team-door-credential = Un identifiant d’accueil ne peut être qu’équipe d’accueil : ajoutez la personne à l’équipe pour lui donner d’autres rôles.
error-team-not-member = Cette personne administre toute l’instance : ses droits ne se règlent pas festival par festival.
error-team-name-or-id = Envoyez soit le nom d’un nouveau membre, soit l’identifiant d’un membre existant.
error-team-own-owner = Vous ne pouvez pas retirer votre propre rôle de responsable : demandez à un autre responsable.
error-token-permission = Choisissez les droits du jeton parmi programme, box_office, door_lead, reports et door.
error-token-days = Un jeton vit de 1 à { $max } jours.
error-audit-format = Le format doit être json ou csv.
error-account-link = Ce lien a déjà servi, a expiré ou n’existe pas. Demandez-en un nouveau.
error-account-email-taken = Un autre membre d’une équipe a déjà cette adresse.
error-account-totp-code = Cette clé est illisible.
error-passkey-origin = Les clés d’accès exigent que l’adresse de cette page soit un nom de domaine (comme localhost), pas une adresse IP.
error-passkey-refused = La clé d’accès n’a pas été acceptée. Réessayez.
error-passkey-none = Aucune clé d’accès n’est configurée pour cette adresse : connectez-vous par courriel, puis ajoutez-en une sur la page de votre compte.
error-account-token = Un jeton d’API n’a pas de compte : comptes, sessions et clés d’accès sont ceux des personnes.
