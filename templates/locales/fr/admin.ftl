# Les pages des organisateurs et de l’équipe : /admin (festivals, séances, liste d’attente, file
# d’attente sur place, lieux, films, identifiants de l’équipe, boîte d’envoi, recherche de
# réservations), le tableau de bord et la courbe des arrivées (dashboard-, report-), et la page
# d’accueil de l’équipe (staff-).
# Chaque { $count }, { $seats }, { $minutes }… est un nombre : une traduction peut choisir ses mots
# d’après lui avec un sélecteur, même là où l’anglais n’en a pas.

## Navigation et mots communs à plusieurs pages des organisateurs

admin-nav-festivals = Festivals
admin-nav-venues = Lieux
admin-nav-films = Films
admin-nav-staff = Équipe
admin-nav-bookings = Réservations
admin-nav-outbox = Boîte d’envoi

admin-link-dashboard = Tableau de bord
admin-link-screenings = Séances
admin-link-public-page = Page publique
admin-link-door = Entrée
admin-edit = Modifier
admin-save = Enregistrer
admin-delete = Supprimer
admin-delete-unused-only = Possible uniquement tant qu’aucune séance ne l’utilise.
admin-choose = Choisir…
admin-time-zone = Fuseau horaire
admin-email = E-mail
admin-country = Pays
admin-seats = Places

# En-têtes de tableaux.
admin-col-festival = Festival
admin-col-dates = Dates
admin-col-goal = Objectif
admin-col-when = Quand
admin-col-film = Film
admin-col-where = Lieu
admin-col-booked = Réservées
admin-col-place = Rang
admin-col-name = Nom
admin-col-email = E-mail
admin-col-seats = Places
admin-col-status = Statut
admin-col-screening = Séance
admin-col-venue = Lieu
admin-col-rooms = Salles
admin-col-director = Réalisation
admin-col-year = Année
admin-col-minutes = Durée (min)
admin-col-role = Rôle
admin-col-scope = Périmètre
# The heading of a table's column of links and buttons, read by screen readers only.
admin-col-actions = Actions

## Festivals (/admin)

admin-overview-title = Organisation
admin-overview-heading = Festivals
admin-festival-new = Nouveau festival
admin-festival-name = Nom
admin-festival-slug = Nom court pour les liens (minuscules, chiffres, tirets)
admin-festival-first-day = Premier jour
admin-festival-last-day = Dernier jour
admin-festival-goal = Objectif de fréquentation
admin-festival-create = Créer le festival

## Les séances d’un festival

admin-screenings-title = Séances — { $festival }
admin-screenings-heading = { $festival } : séances
admin-screenings-cancelled = (annulée)
admin-screenings-edit = Modifier, envoyer des invitations
admin-screening-add-heading = Ajouter une séance
admin-screening-film = Film
admin-screening-place = Lieu et salle
# Une option du choix de la salle.
admin-place = { $seats ->
    [one] { $venue } — { $room } ({ $seats } place)
   *[other] { $venue } — { $room } ({ $seats } places)
}
admin-screening-starts = Début (heure locale du lieu)
admin-screening-capacity-default = Capacité (vide : le nombre de places de la salle)
admin-screening-doors-open-default = Ouverture des portes, en minutes avant le début (par défaut : { $minutes })
admin-screening-doors-close-default = Fermeture des portes, en minutes après le début (par défaut : { $minutes })
admin-screening-add = Ajouter la séance

## Une séance : invitations, liste d’attente, file d’attente sur place, modification

admin-screening-title = { $film } — modification
admin-screening-booked = { $booked ->
    [one] { $booked } place réservée sur { $capacity }
   *[other] { $booked } places réservées sur { $capacity }
}
admin-screening-admitted = { $count ->
    [one] { $count } entrée
   *[other] { $count } entrées
}
admin-screening-arrivals-link = arrivées
admin-screening-all-link = toutes les séances

admin-invited = { $count ->
    [one] { $count } billet d’invitation émis.
   *[other] { $count } billets d’invitation émis.
}
admin-invited-link = Envoyez ce lien privé à la personne invitée (il ne s’affichera plus) :
admin-invite-heading = Envoyer des invitations
admin-invite-name = Nom de la personne invitée
admin-invite-category = Catégorie
admin-invite-submit = Émettre les billets

admin-waitlist-heading = Liste d’attente
admin-waitlist-open = Ouverte
admin-waitlist-closed-to-new = Fermée aux nouvelles inscriptions
admin-waitlist-offers-held = { $minutes ->
    [one] offres valables { $minutes } minute au plus (moins à l’approche de la séance)
   *[other] offres valables { $minutes } minutes au plus (moins à l’approche de la séance)
}
admin-waitlist-seats-held = { $count ->
    [one] { $count } place gardée pour les offres en cours
   *[other] { $count } places gardées pour les offres en cours
}
admin-waitlist-new-entries = Nouvelles inscriptions
admin-waitlist-option-open = Ouvertes
admin-waitlist-option-closed = Fermées
admin-waitlist-hold-minutes = Durée de validité d’une offre, en minutes (5–1440)
admin-waitlist-save = Enregistrer la liste d’attente
admin-waitlist-empty = Personne n’est en attente.
admin-waitlist-col-move = Déplacer ou retirer
admin-waitlist-up = Monter
admin-waitlist-down = Descendre
admin-waitlist-remove = Retirer
admin-waitlist-move-up-label = Faire monter { $name } dans la liste
admin-waitlist-move-down-label = Faire descendre { $name } dans la liste
admin-waitlist-remove-label = Retirer { $name } de la liste
admin-entry-status-waiting = en attente
admin-entry-status-offered = offre envoyée
admin-entry-status-offered-until = offre valable jusqu’au { $until }
admin-entry-status-claimed = places réservées
admin-entry-status-expired = offre expirée
admin-entry-status-left = a quitté la liste
admin-entry-status-removed = inscription retirée

admin-standby-heading = File d’attente sur place
admin-standby-explained = À partir de { $time }, les places que les titulaires de billets n’ont pas occupées sont données aux personnes qui attendent sans billet, dans l’ordre des numéros remis à l’entrée
admin-standby-numbers = { $issued ->
    [one] { $issued } numéro remis, { $admitted } admis
   *[other] { $issued } numéros remis, { $admitted } admis
}
admin-standby-none = Pas de file d’attente sur place.
admin-standby-release = Ouvrir les places à la file d’attente sur place, en minutes avant le début (vide : pas de file d’attente sur place)
admin-standby-keep = Places gardées pour les titulaires de billets en retard
admin-standby-save = Enregistrer la file d’attente sur place

admin-screening-edit-heading = Modifier
admin-screening-capacity = Capacité
admin-screening-doors-open = Ouverture des portes, en minutes avant le début
admin-screening-doors-close = Fermeture des portes, en minutes après le début
admin-screening-pass-seats = Places réservées aux titulaires de pass
admin-screening-pass-seats-hint = Le public ne peut pas les réserver (un rang presse, par exemple) ; les pass peuvent prendre n’importe quelle place. 0 : aucune. Une place de pass libérée inutilisée avant le début va à la liste d’attente.
admin-screening-reinstate = Rétablir cette séance
admin-screening-cancel = Annuler cette séance

## Lieux et films

admin-venues-title = Lieux
admin-venue-new = Nouveau lieu
admin-venue-name = Nom
admin-venue-city = Ville
admin-venue-address = Adresse
# Les salles sont relues sous la forme « nom: places », une par ligne : garder les deux-points
# dans l’explication.
admin-venue-rooms = Salles, une par ligne, sous la forme « nom : places »
admin-venue-create = Créer le lieu

admin-films-title = Films
admin-film-new = Nouveau film
admin-film-title = Titre
admin-film-original-title = Titre original
admin-film-director = Réalisation
admin-film-year = Année
admin-film-runtime = Durée (minutes)
admin-film-language = Langue(s) parlée(s)
admin-film-subtitles = Sous-titres (vide : aucun)
admin-film-language-hint = Écrivez le nom d’une langue (vietnamien) ou son code (vi) : le public la lit alors dans sa propre langue.
admin-film-create = Créer le film

## Identifiants de l’équipe

admin-staff-title = Équipe
admin-staff-credential-for = Identifiant de { $name }
admin-staff-credential-shown-once = il ne s’affichera plus. Scannez le code avec l’appareil de l’entrée pour le connecter, ou envoyez le lien.
admin-staff-credential-qr = Code QR du lien de connexion pour { $name }
admin-staff-api-credential = Identifiant pour l’API
admin-staff-revoked = révoqué
admin-staff-you = vous
admin-staff-revoke = Révoquer
admin-staff-new = Nouvel identifiant
admin-staff-name = Nom (une personne ou un appareil, ex. « Porte 1 Pathé »)
admin-staff-role = Rôle
admin-staff-role-door = Équipe d’accueil (scan uniquement)
admin-staff-role-organiser = Organisateur
admin-staff-limited-to = Limité à
admin-staff-scope-everything = Tout (tous les festivals et lieux)
admin-staff-scope-festival-option = Festival : { $name }
admin-staff-scope-venue-option = Lieu : { $name }
admin-staff-create = Créer l’identifiant

## Boîte d’envoi

admin-outbox-title = Boîte d’envoi
admin-outbox-explained = Tous les messages envoyés par Marquee : billets après une réservation ou une invitation, annulations, modifications d’une séance, « Retrouver mes billets ».
# { $setting } est le nom du paramètre, affiché comme du code.
admin-outbox-files = Aucun serveur SMTP n’est configuré ({ $setting }) : les messages sont écrits sous forme de fichiers dans le dossier mail ; ouvrez-en un pour voir exactement ce qui aurait été envoyé.
admin-outbox-show = Afficher :
admin-outbox-all = tous
admin-outbox-showing = (filtre : { $status })
admin-outbox-col-created = Créé (UTC)
admin-outbox-col-to = Destinataire
admin-outbox-col-subject = Objet
admin-outbox-col-attempts = Tentatives
admin-outbox-col-last-error = Dernière erreur
admin-outbox-resend = Renvoyer
admin-outbox-empty = Aucun message.
admin-mail-status-queued = en file
admin-mail-status-sent = envoyé
admin-mail-status-failed = échec

## Retrouver une réservation

admin-bookings-title = Réservations
admin-bookings-heading = Retrouver une réservation
admin-bookings-query = Nom ou e-mail (ou une partie)
admin-bookings-search = Rechercher
admin-bookings-none = Aucune réservation ne correspond.
admin-booking-title = Réservation de { $name }
# Construit dans src/mail/pages.rs (booking_page).
admin-booking-screening = { $film } — { $when }, { $venue }, { $room }
admin-booking-notice-resent = Les billets vont être renvoyés par e-mail.
admin-booking-notice-cancelled = La réservation est annulée ; son titulaire en est informé par e-mail.
admin-booking-tickets = Billets
admin-booking-seat = Place { $seat }
admin-booking-resend = Renvoyer les billets par e-mail
admin-booking-cancel = Annuler cette réservation (son titulaire en sera informé par e-mail)
admin-booking-messages = Messages
admin-booking-no-messages = Aucun pour l’instant.
admin-booking-back = Retrouver une autre réservation
admin-booking-status-confirmed = confirmée
admin-booking-status-cancelled = annulée
admin-ticket-status-valid = valide
admin-ticket-status-admitted = utilisé à l’entrée
admin-ticket-status-cancelled = annulé

## Le tableau de bord du festival

dashboard-title = { $festival } — tableau de bord
dashboard-explained = La fréquentation compte les billets validés à l’entrée, jamais les ventes. Mise à jour en direct
dashboard-public-programme = programme public

# Légendes sous les grands nombres ; { $count } est le nombre affiché au-dessus.
dashboard-total-admitted = { $count ->
    [one] entrée
   *[other] entrées
}
dashboard-total-unique-attendees = { $count ->
    [one] spectateur distinct
   *[other] spectateurs distincts
}
dashboard-total-countries = { $count ->
    [one] pays
   *[other] pays
}
dashboard-total-tickets-issued = { $count ->
    [one] billet émis
   *[other] billets émis
}
dashboard-total-no-shows = { $count ->
    [one] absent
   *[other] absents
}
dashboard-total-films = { $count ->
    [one] film
   *[other] films
}
dashboard-total-screenings = { $count ->
    [one] séance
   *[other] séances
}
dashboard-total-standby-admitted = { $count ->
    [one] entrée depuis la file d’attente sur place
   *[other] entrées depuis la file d’attente sur place
}
dashboard-total-conflicts = { $count ->
    [one] conflit hors ligne
   *[other] conflits hors ligne
}

dashboard-conflicts-heading = Conflits hors ligne
dashboard-conflicts-explained = Une porte privée de réseau a laissé entrer ces billets, mais le serveur n’a pas pu valider ces entrées : le billet avait déjà été utilisé à une autre porte, il avait été annulé, ou il n’est pas authentique. Chaque entrée n’est tout de même comptée qu’une fois. Demandez aux portes indiquées ici ce qui s’est passé (une capture d’écran partagée, deux personnes sur un même billet), et servez-vous du journal des scans pour le suivi.
dashboard-col-holder = Titulaire
dashboard-col-screening = Séance
dashboard-col-door-offline = Porte (hors ligne)
dashboard-col-server-says = Réponse du serveur

# La page tient ces nombres à jour : écrire chaque nombre en chiffres (pas en lettres) pour qu’il
# suive en direct.
dashboard-goal = Progression vers l’objectif de { $goal }
# { $rate } est un pourcentage comme « 12.5% ».
dashboard-fill-rate = { $capacity ->
    [one] Taux de remplissage : { $rate } (sur { $capacity } place)
   *[other] Taux de remplissage : { $rate } (sur { $capacity } places)
}
dashboard-no-show-rate = taux d’absence : { $rate } (séances dont les portes sont fermées)
dashboard-tickets-to-come = { $count ->
    [one] { $count } billet encore attendu
   *[other] { $count } billets encore attendus
}

dashboard-screenings-heading = Séances
dashboard-col-day = Jour
dashboard-col-capacity = Capacité
dashboard-col-booked = Réservées
dashboard-col-admitted = Entrées
dashboard-col-fill = Remplissage
dashboard-col-no-shows = Absents
dashboard-cancelled = annulée
dashboard-countries-heading = Pays
dashboard-col-country = Pays
dashboard-col-tickets = Billets
dashboard-col-attendees = Spectateurs
dashboard-categories-heading = Catégories de billets
dashboard-col-category = Catégorie

dashboard-downloads-heading = Téléchargements
dashboard-json-report = rapport
dashboard-csv-excel = CSV pour un tableur réglé sur la virgule décimale (Excel en français : « ; » entre les cellules, « 0,25 ») :
dashboard-counter-check = contrôle des compteurs
dashboard-scan-log-check = contrôle du journal des scans
dashboard-generated = Généré le { $when }

## Graphiques et tableaux du rapport

report-chart-by-day = Entrées par jour (sur la capacité)
report-chart-by-film = Entrées par film (sur la capacité)
report-chart-by-venue = Entrées par lieu (sur la capacité)
# L’infobulle d’une barre, avec son libellé en entier ; { $label } est un jour, un film ou un lieu.
report-chart-bar = { $label } : { $admitted ->
    [one] { $admitted } entrée
   *[other] { $admitted } entrées
} sur { $capacity ->
    [one] { $capacity } place
   *[other] { $capacity } places
}
# { $percent } est un pourcentage comme « 42.0% ».
report-chart-progress = { $goal ->
    [one] { $admitted } sur un objectif de { $goal } spectateur ({ $percent })
   *[other] { $admitted } sur un objectif de { $goal } spectateurs ({ $percent })
}
report-chart-arrivals = { $minutes ->
    [one] Entrées par minute
   *[other] Entrées par tranche de { $minutes } minutes
}
# Marque le début de la séance sur le graphique des arrivées.
report-chart-start = début

# Les tableaux à télécharger (les fichiers gardent leur nom anglais).
report-table-totals = totaux
report-table-screenings = séances
report-table-films = films
report-table-venues = lieux
report-table-days = jours
report-table-countries = pays
report-table-categories = catégories

## Les arrivées d’une séance

report-arrivals-title = Arrivées — { $film }
report-arrivals-heading = Arrivées : { $film }
report-arrivals-starts = Début : { $when }
report-arrivals-admitted = { $count ->
    [one] { $count } entrée
   *[other] { $count } entrées
}
report-arrivals-explained = { $minutes ->
    [one] entrées par minute, de l’ouverture à la fermeture des portes
   *[other] entrées par tranche de { $minutes } minutes, de l’ouverture à la fermeture des portes
}
report-col-from = À partir de
report-col-minutes-from-start = Minutes par rapport au début
report-col-admitted = Entrées

## La page d’accueil de l’équipe (/staff)

staff-title = Espace équipe
staff-signed-in = Session ouverte : { $name }
staff-role = Rôle :
staff-limited-to = périmètre : { $scope }
staff-scope-festival = festival { $festival }
staff-scope-venue = lieu { $venue }
staff-sign-out = Se déconnecter
# { $link } est le lien, dont les mots sont staff-organiser-pages-link.
staff-organiser-pages = { $link } : festivals, lieux, films, séances, équipe, invitations.
staff-organiser-pages-link = Pages des organisateurs
# { $link } est le lien, dont les mots sont staff-door-page-link.
staff-door-page = { $link } pour scanner les billets.
staff-door-page-link = Ouvrir la page de l’entrée
staff-festivals-heading = Festivals
staff-col-festival = Festival
staff-col-screenings = Séances
staff-col-booked = Places réservées
staff-col-capacity = Capacité
staff-col-goal = Objectif
staff-dashboard-link = tableau de bord

admin-confirm-back = Revenir sans rien changer
admin-confirm-cancel-screening-title = Annuler { $film }, { $when } ?
admin-confirm-cancel-screening = { $holders ->
    [0] Personne n’a encore de billet. La séance apparaîtra comme annulée et ne prendra plus de réservations.
    [one] { $holders } détenteur de billet sera prévenu par e-mail ; { $tickets ->
        [one] son billet ne donnera
       *[other] ses { $tickets } billets ne donneront
    } plus accès à la séance. La séance pourra être rétablie, mais l’e-mail ne pourra pas être repris.
   *[other] { $holders } détenteurs de billets seront prévenus par e-mail ; leurs { $tickets } billets ne donneront plus accès à la séance. La séance pourra être rétablie, mais les e-mails ne pourront pas être repris.
}
admin-confirm-revoke-title = Révoquer l’identifiant de { $name } ?
admin-confirm-revoke = { $name } est aussitôt déconnecté(e) sur tous ses appareils et ne peut plus se connecter, scanner ni utiliser l’API avec cet identifiant. C’est définitif : pour travailler à nouveau, il faudra un nouvel identifiant.
admin-screening-cancel-ellipsis = Annuler cette séance…
admin-staff-revoke-ellipsis = Révoquer…
admin-screening-confirm = L’ajouter quand même : j’ai vérifié son horaire et sa salle
admin-notice-festival-added = Festival ajouté : { $name }. Ajoutez maintenant ses séances.
admin-notice-venue-added = Lieu ajouté : { $name }.
admin-notice-film-added = Film ajouté : { $name }.
admin-notice-screening-added = Séance ajoutée : { $film }, { $when }.
admin-notice-screening-saved = Séance enregistrée : { $film }, { $when }.
admin-notice-saved = Enregistré.
admin-screening-delete = Supprimer cette séance (personne ne l’a réservée)
admin-notice-screening-deleted = Séance supprimée : { $film }, { $when }.
admin-film-synopsis = Synopsis (quelques lignes, affichées sur les pages des séances)

## Importing the programme.

admin-programme-import = Importer le programme
admin-programme-import-field = Le programme, en CSV (copié d’un tableur enregistré en « CSV UTF-8 »)
admin-programme-import-help = Première ligne : title,venue,room,starts_at (et director,year,runtime_minutes,country pour un nouveau film ; original_title et capacity si vous les avez). Une séance par ligne ; le début à l’heure du lieu, par exemple 2030-12-07 20:00. Les lieux et leurs salles doivent exister. Vérifiez d’abord : rien n’est écrit tant que chaque ligne n’est pas juste, et importer le même programme à nouveau ne change rien.
admin-programme-import-submit = Importer le programme
admin-programme-import-would = Le programme est juste. Séances à ajouter : { $created } (nouveaux films : { $films }) ; déjà là : { $unchanged }.
admin-programme-import-done = Importé. Séances ajoutées : { $created } (nouveaux films : { $films }) ; déjà là : { $unchanged }.
team-title = L’équipe de { $festival }
team-explained = Chaque personne se connecte avec son propre lien et n’a de rôles que dans ce festival. Un responsable donne tous les rôles ; un responsable des entrées ajoute et retire l’équipe d’accueil.
team-audit-link = Journal d’audit
team-signin-link = Son lien de connexion (à lui envoyer ; il fonctionne jusqu’à ce que son accès soit révoqué) :
team-token-secret = Le jeton, pour les réglages de l’intégration
team-members-heading = Membres
team-col-roles = Rôles
team-roles-of = Rôles de { $name }
team-save-roles = Enregistrer les rôles
team-empty = Personne n’a encore de rôle dans ce festival.
team-new-heading = Ajouter une personne
team-add = Ajouter à l’équipe
team-tokens-heading = Jetons d’API
team-tokens-explained = Pour les intégrations : chaque jeton ne vaut que pour ce festival, avec les droits choisis, jusqu’à son expiration ou sa révocation.
team-col-permissions = Droits
team-col-expires = Expire le
team-col-last-used = Dernière utilisation
team-token-by = créé par { $name }
team-token-revoke = Révoquer { $name }
team-tokens-empty = Aucun jeton d’API.
team-token-new = Nouveau jeton
team-token-name = Nom (à quoi il sert)
team-token-days = Jours avant expiration
team-token-create = Créer le jeton
team-never = jamais
team-token-revoked = Jeton révoqué : il ne fonctionne plus.
audit-title = Journal d’audit de { $festival }
audit-explained = Chaque modification faite par l’équipe et chaque consultation de données personnelles, des plus récentes aux plus anciennes. Les entrées ne peuvent être ni modifiées ni supprimées.
audit-team-link = L’équipe
audit-filter-action = Action commençant par
audit-filter-actor = Personne (identifiant)
audit-filter-since = Du
audit-filter-until = Au
audit-filter = Filtrer
audit-download = Télécharger en CSV
audit-col-at = Quand
audit-col-actor = Qui
audit-col-action = Action
audit-col-subject = Sur
audit-col-change = Modification
audit-before = Avant
audit-after = Après
audit-empty = Rien n’a encore été enregistré.
admin-nav-my-festivals = Mes festivals
staff-festival-team = Équipe
staff-festival-audit = Journal d’audit
staff-your-roles = Vos rôles : { $roles }
account-title = Votre compte
account-link-sent-title = Consultez votre messagerie
account-link-sent = Si cette adresse est celle d’un membre de l’équipe d’un festival, un lien de connexion est en route. Il fonctionne une fois, pendant 15 minutes.
account-back-to-signin = Retour à la connexion
account-link-title = Connexion
account-code = Code de votre application d’authentification
account-code-or-recovery = Ou l’un de vos codes de secours. Chaque code ne sert qu’une fois.
account-code-wrong = Ce code n’est pas le bon. Essayez le code actuel de votre application, ou un code de secours.
account-code-used = Ce code a déjà servi. Attendez le suivant.
account-code-too-many = Trop de codes erronés : réessayez dans 15 minutes.
account-welcome-title = Bienvenue
account-welcome-heading = Bienvenue, { $name }
account-welcome-explained = Configurez votre compte : une application d’authentification vous donnera un code pour vous connecter, après un lien que Marquee vous envoie par courriel.
account-totp-heading = Application d’authentification
account-totp-explained = Scannez ce code avec une application d’authentification (ou saisissez-y la clé), puis entrez le code à 6 chiffres qu’elle affiche.
account-totp-qr = Code QR pour ajouter Marquee à une application d’authentification
account-totp-key = Clé :
account-totp-enable = Configurer l’application
account-totp-replace = Remplacer l’application
account-totp-on = Une application d’authentification est configurée. Pour en changer, scannez ce nouveau code avec la nouvelle et entrez son code.
account-totp-open-app = Ouvrir dans une application d’authentification de cet appareil
account-codes-title = Codes de secours
account-codes-explained = Gardez ces codes en lieu sûr : chacun permet de se connecter une fois sans votre application. Ils ne sont affichés que maintenant.
account-codes-continue = Continuer
account-codes-left = Codes de secours restants : { $count }.
account-codes-new = Créer de nouveaux codes de secours
account-add-factor = Protégez votre compte : configurez une application d’authentification ci-dessous.
account-sessions-heading = Où vous êtes connecté
account-col-device = Appareil
account-col-place = Adresse
account-col-method = Connecté avec
account-col-last-seen = Vu pour la dernière fois
account-this-session = celle-ci
account-end-session = Déconnecter cette session
account-end-others = Se déconnecter partout ailleurs
account-email-heading = Adresse électronique
account-email = Adresse électronique
account-email-save = Enregistrer l’adresse
account-email-signin-heading = Ou connectez-vous par courriel
account-email-signin = M’envoyer un lien de connexion
team-email = Adresse électronique (une invitation est envoyée ; vide : un lien de connexion à remettre)
team-invited = Invitation envoyée à { $name }.
account-passkey-signin-heading = Se connecter avec une clé d’accès
account-passkey-signin = Se connecter avec une clé d’accès
account-passkeys-heading = Clés d’accès
account-passkeys-explained = Une clé d’accès vous connecte avec le verrouillage de cet appareil (empreinte, visage, code) ou une clé de sécurité : ni lien, ni code. Ajoutez-en une sur chaque appareil que vous utilisez.
account-passkey-used = utilisée le { $at }
account-passkey-remove = Supprimer { $name }
account-passkey-name = Nom de cette clé d’accès
account-passkey-default-name = Mon appareil
account-passkey-add = Ajouter une clé d’accès
staff-add-factor = Protégez votre compte : ajoutez une clé d’accès ou une application d’authentification sur { $link }.
