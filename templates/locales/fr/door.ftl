# L’entrée : la réponse à un scan (le titre du verdict et son message), lue par les bénévoles
# à l’entrée sur la page de la porte et dans le `message` de l’API. Le code `verdict` qui
# l’accompagne (admitted, too_early…) n’est jamais traduit.

## Les titres, un par verdict.

verdict-admitted = Entrée validée
verdict-already-admitted = Billet déjà utilisé
verdict-wrong-screening = Mauvaise séance
verdict-cancelled = Billet annulé
verdict-invalid = Code non valide
verdict-unknown = Billet inconnu
verdict-too-early = Trop tôt
verdict-too-late = Trop tard
verdict-annulled = Entrée annulée
verdict-room-full = Salle complète
verdict-no-reservation = Pas de réservation
verdict-not-valid-for-screening = Pass non valable ici

## Le message sous le titre.

door-welcome = Bienvenue, { $name }.
door-incomplete-read = Lecture incomplète — scanner à nouveau.
# $why est l’une des raisons door-code-… ci-dessous.
door-not-a-ticket = Billet non valide : { $why }.
door-code-format = ce n’est pas un code de billet Marquee
door-code-incomplete = lecture incomplète
door-code-unknown-key = signé avec une clé inconnue de ce serveur
door-code-signature = la signature ne correspond pas
door-no-such-ticket = Code authentique, mais ce billet n’existe pas ici.
door-screening-cancelled = La séance a été annulée.
door-ticket-cancelled = Ce billet a été annulé par son titulaire ou par un organisateur.
# $when : le jour et l’heure de la séance (« vendredi 12 décembre 2025, 20:00 »).
door-wrong-screening = Ce billet est pour { $film } — { $venue }, { $when }.
# $time : « 19:15 », ou door-time-on-day quand ce n’est pas aujourd’hui.
door-doors-open-at = Ouverture des portes à { $time }.
door-doors-closed-at = Portes fermées à { $time }.
door-time-on-day = { $time } le { $day }
door-room-full = Salle complète : les places des titulaires de billets qui n’étaient pas arrivés ont été données à la file d’attente sur place.
door-no-reservation = Ce pass n’a pas de place à cette séance, et aucune ne peut être donnée à l’entrée maintenant.
door-pass-not-valid = Ce pass n’ouvre pas cette séance (ses jours, films ou lieux).
door-pass-revoked = Ce pass a été révoqué par un organisateur.
door-already-admitted = Billet déjà utilisé à { $time } ({ $door }).
# $answer : ce que le serveur a décidé, l’un des messages ci-dessus.
door-offline-conflict = Conflit : « { $door } » a laissé entrer ce billet hors ligne à { $time }, mais le serveur répond : { $answer }
door-admission-undone = Entrée annulée : le billet peut être scanné à nouveau.
conflict-cancelled = Le billet, ou sa séance, avait été annulé.
conflict-not-genuine = Le code n’est pas un vrai billet.
conflict-wrong-screening = Le billet est pour une autre séance.
conflict-outside-doors = Il a été scanné alors que les portes étaient fermées.
door-scanned-after-another-door = Conflit : { $door } a laissé entrer ce billet hors ligne à { $time }, mais { $first_door } l’avait déjà fait entrer à { $first_time } (selon l’horloge des appareils).
