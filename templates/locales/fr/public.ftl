# Les pages du public : festivals, programme, séance, réservation, billets, liste d’attente.

index-title = Festivals
index-outline = { $films ->
    [one] 1 film
   *[other] { $films } films
} · { $venues }
meta-index = Programmes et billetterie de festivals de cinéma : trouvez une séance, réservez vos places et recevez vos billets par e-mail.
meta-programme = { $festival }, { $dates } : tous les films, séances et lieux du programme, avec des places à réserver en ligne.
meta-screening = { $film }, { $when } à { $place } : réservez vos places et recevez vos billets par e-mail.
index-none = Aucun festival n’a encore été publié.

programme-none = Le programme n’a pas encore été publié.
programme-time = Horaire
programme-film = Film
programme-venue = Lieu
programme-seats = Places
programme-filters = Filtrer le programme
programme-filter-day = Jour
programme-filter-venue = Lieu
programme-filter-film = Film
programme-every-day = Tous les jours
programme-every-venue = Tous les lieux
programme-every-film = Tous les films
programme-show = Afficher
programme-clear-filters = Effacer les filtres
programme-no-match = Aucune séance ne correspond à ces choix. Choisissez un autre jour, un autre lieu ou un autre film, ou effacez les filtres.
programme-matching = { $count ->
    [one] { $count } séance correspond.
   *[other] { $count } séances correspondent.
}
availability-cancelled = Annulée
availability-closed = Réservations closes
availability-sold-out = Complet
availability-open = { $left ->
    [one] { $left } place restante sur { $capacity }
   *[other] { $left } places restantes sur { $capacity }
}

screening-when = Quand
screening-where = Où
screening-film = Film
screening-seats = Places
screening-runtime = { $minutes } min
screening-hours = { $start }–{ $end }
screening-others = Autres séances de ce film
film-language-and-subtitles = En { $language } · sous-titres en { $subtitles }
film-language-no-subtitles = En { $language } · sans sous-titres
film-subtitles = Sous-titres en { $subtitles }
screening-cancelled = Cette séance a été annulée.
screening-closed = Les réservations sont closes : la séance a commencé.
screening-sold-out = Complet.
screening-sold-out-detail = Toutes les places ont été réservées.
screening-join-waitlist = S’inscrire sur la liste d’attente
screening-waitlist-explained = Les places libérées par des annulations sont proposées dans l’ordre d’inscription, par e-mail, et vous sont réservées pendant un temps limité.
screening-book-seats = Réserver des places
screening-book = Réserver

form-your-name = Votre nom
form-email = E-mail
form-country = Pays
form-choose-country = Choisissez votre pays…
form-seats = Nombre de places

booking-title = Votre réservation
booking-just-booked = C’est réservé ! Vos billets sont en route vers { $email } (codes QR, un PDF à imprimer et la séance pour votre agenda). L’adresse de cette page est votre lien personnel vers vos billets. Vous l’avez perdue ?
booking-find-link = Retrouver mes billets
booking-cancelled = Cette réservation est annulée. Ses billets non utilisés ne donnent plus accès à la séance.
booking-screening-cancelled = La séance a été annulée. Ces billets ne donnent plus accès à la salle ; contactez le festival pour un remboursement ou une autre séance.
booking-booked-by = Réservé par
booking-tickets = Billets
booking-tickets-explained = Un code QR par place. Présentez-le à l’entrée, sur votre téléphone ou imprimé.
booking-open-to-print = Ouvrir pour imprimer
booking-cant-come = Vous ne pouvez pas venir ? Annulez pour laisser vos places à d’autres spectateurs.
booking-cancel = Annuler des places…
ticket-status-cancelled = Annulé
ticket-status-used = Utilisé à l’entrée
ticket-status-valid = Valide
ticket-seat-of = Place { $seat } sur { $seats }
ticket-qr-label = Code QR du billet pour la place { $seat } sur { $seats }
ticket-title = Billet — { $film }
ticket-holder = Titulaire
ticket-seat = Place
ticket-status = Statut
ticket-all-of-booking = Tous les billets de cette réservation

find-title = Retrouver mes billets
find-done = Si des réservations sont associées à cette adresse, un message les récapitulant est en route, avec pour chacune un lien pour voir, imprimer ou annuler les billets. Cela peut prendre quelques minutes ; pensez aussi à vérifier vos courriers indésirables.
find-explained = Vous avez perdu le message contenant vos billets ? Indiquez l’adresse e-mail utilisée pour réserver : nous vous y renverrons toutes vos réservations en cours.
find-email = Adresse e-mail
find-send = Recevoir mes billets

signin-title = Connexion de l’équipe
signin-credential = Votre identifiant
signin-submit = Se connecter
signin-explained = Les identifiants sont créés par un organisateur et ne s’affichent qu’une seule fois.

error-page-status = Erreur { $status }.
error-page-back = Retour aux festivals
signin-invalid = Cet identifiant n’est pas valide, ou il a été révoqué.
http-400 = La requête n’a pas pu être lue
http-401 = Veuillez vous connecter
http-403 = Accès non autorisé
http-404 = Introuvable
http-409 = Impossible pour le moment
http-413 = Trop volumineux
http-408 = Trop lent
http-422 = Veuillez vérifier votre saisie
http-429 = Trop de requêtes
http-405 = Non autorisé ici
http-503 = Temporairement indisponible
http-error = Une erreur est survenue

waitlist-title = Liste d’attente — { $film }
waitlist-heading = Liste d’attente : { $film }
waitlist-just-joined = Votre inscription sur la liste d’attente est enregistrée. Nous avons envoyé le lien de cette page à { $email } : conservez-le pour suivre votre rang ou quitter la liste.
waitlist-name = Nom
waitlist-status-waiting = En attente — n° { $place } sur la liste
waitlist-status-offered = Des places vous sont réservées jusqu’à { $until }
waitlist-status-claimed = Réservé : vos billets ont été envoyés à { $email }
waitlist-status-expired = L’offre a expiré et a été transmise à la personne suivante
waitlist-status-left = Vous avez quitté la liste d’attente
waitlist-status-removed = Inscription retirée de la liste d’attente par le festival
waitlist-offer = { $seats ->
    [one] { $seats } place vous attend si vous la réservez avant { $until }. Votre billet s’affiche aussitôt et vous est aussi envoyé par e-mail.
   *[other] { $seats } places vous attendent si vous les réservez avant { $until }. Vos billets s’affichent aussitôt et vous sont aussi envoyés par e-mail.
}
waitlist-claim = Réserver mes places
waitlist-decline = Non merci — les laisser à la personne suivante
waitlist-explained = Quand des places se libèrent, elles sont proposées dans l’ordre aux premières personnes de la liste dont le nombre de places demandé convient. Vous recevrez alors un e-mail avec un lien pour les réserver ; elles vous sont gardées pendant un temps limité.
waitlist-leave = Quitter la liste d’attente

booking-seats-cancelled = Les places choisies sont annulées et libérées pour d’autres ; vos autres billets ci-dessous restent valables.
booking-seats-given-back = { $n ->
    [one] 1 rendue
   *[other] { $n } rendues
}
booking-ticket-cancelled = Annulé : ce billet ne donne plus accès à la séance.
booking-back-to-programme = Le programme de { $festival }
ticket-doors-open = Ouverture des portes
ticket-print = Imprimer
cancel-title = Annuler des places — { $film }
cancel-keep = Garder ma réservation telle quelle
cancel-consequence = Les places choisies sont rendues : leurs billets cessent aussitôt de donner accès à la séance, et les places vont à la liste d’attente ou aux prochaines réservations. C’est définitif. Vous recevrez une confirmation par e-mail.
cancel-which = Quelles places rendez-vous ?
cancel-submit = Annuler les places choisies
