# Les e-mails envoyés, rédigés dans la langue de leur destinataire : billets, annulations, changements,
# « retrouver mes billets », la liste d’attente ; les billets imprimables (PDF) et l’événement d’agenda.
# $film est le titre d’un film, $when la date et l’heure d’une séance (« vendredi 12 décembre 2025 à 20:00 »),
# $zone le nom du fuseau horaire (Europe/Paris), $place le lieu, la salle et l’adresse, $name une personne.

# Tous les messages.
mail-hello = Bonjour { $name },
mail-hello-anonymous = Bonjour,
mail-footer = Envoyé par la billetterie du festival (Marquee). Vous avez perdu ce message ? Vos billets peuvent toujours vous être renvoyés depuis { $url }
mail-qr-alt = Code QR du billet : { $ticket }
# Affiché aux organisateurs dans la boîte d’envoi à la place d’un objet, quand les billets n’ont pas été envoyés.
mail-not-sent-cancelled = Non envoyé : la réservation a été annulée avant l’envoi de ses billets
mail-not-sent-no-bookings = Non envoyé : cette adresse n’a aucune réservation en cours

# Les billets d’une réservation ou d’une invitation, ou d’une séance qui a changé.
mail-tickets-subject = Vos billets : { $film }, { $when }
mail-tickets-heading = { $film } — vos billets
mail-changed-subject = Changement : { $film }, désormais le { $when }
mail-changed-heading = { $film } — séance modifiée
mail-changed-intro = La séance que vous avez réservée change d’horaire ou de lieu. Vos billets restent valables.
mail-when-where = Rendez-vous le { $when } ({ $zone }) — { $place }.
mail-doors-open = Ouverture des portes à { $time }. À l’entrée, présentez un code par personne, sur votre téléphone ou imprimé : chaque code permet à une seule personne d’entrer, une seule fois.
mail-attached = { $count ->
    [one] En pièces jointes : { $count } billet, un par page (tickets.pdf), et la séance pour votre agenda (screening.ics).
   *[other] En pièces jointes : { $count } billets, un par page (tickets.pdf), et la séance pour votre agenda (screening.ics).
}
mail-manage-link = Voir, imprimer ou annuler vos billets
# Au-dessus de chaque code QR du message ; $category est Public, Invité, Presse ou Jury.
mail-ticket-label = Place { $seat } sur { $seats } · { $category } · { $name }

# Les billets imprimables (tickets.pdf), un par page.
mail-pdf-title = { $festival } : { $film }
mail-pdf-when = { $when } ({ $zone })
mail-pdf-doors = Ouverture des portes à { $time }
mail-pdf-seat = Place { $seat } sur { $seats } · { $category }

# La séance comme événement d’agenda (screening.ics).
mail-calendar-summary = { $film } — { $festival }
mail-calendar-description = { $seats ->
    [one] { $seats } billet au nom de { $name }. Ouverture des portes { $minutes } min avant le début de la séance. { $url }
   *[other] { $seats } billets au nom de { $name }. Ouverture des portes { $minutes } min avant le début de la séance. { $url }
}

# Une réservation annulée par son titulaire, ou une séance annulée par le festival.
mail-cancelled-subject = Annulation : { $film }, { $when }
mail-cancelled-heading = { $film } — annulation
mail-screening-cancelled = Nous sommes désolés : le festival a annulé la séance du film { $film } prévue le { $when } ({ $place }). Vos billets ne donnent plus accès à la salle.
mail-booking-cancelled = Comme vous l’avez demandé, votre réservation pour { $film } le { $when } ({ $place }) est annulée. Ses billets ne donnent plus accès à la séance, et les places sont libérées pour d’autres spectateurs.
mail-programme-link = Voir le programme

# La liste d’attente : un rang dans la file, puis des places proposées et gardées jusqu’à une heure donnée.
mail-waitlist-subject = Liste d’attente : { $film }, { $when }
mail-waitlist-heading = { $film } — liste d’attente
mail-waitlist-joined = { $seats ->
    [one] Vous êtes sur la liste d’attente pour { $film } le { $when } ({ $place }) : { $seats } place demandée.
   *[other] Vous êtes sur la liste d’attente pour { $film } le { $when } ({ $place }) : { $seats } places demandées.
}
mail-waitlist-explained = Quand des places se libèrent, elles sont proposées dans l’ordre d’inscription : nous vous écrirons alors, et elles vous seront gardées pendant un temps limité.
mail-waitlist-link = Voir mon rang ou quitter la liste
mail-offer-subject = Des places pour vous : { $film }, { $when }
mail-offer-heading = { $film } — des places pour vous
mail-offer-freed = Des places se sont libérées pour { $film } le { $when } ({ $place }), et c’est votre tour sur la liste d’attente.
# $time et $day : la fin de la réservation temporaire (« 20:00 », « vendredi 12 décembre 2025 »).
mail-offer-held = { $seats ->
    [one] { $seats } place vous est gardée jusqu’au { $day } à { $time } ({ $zone }). Réservez-la avec le lien ci-dessous : vous recevrez aussitôt votre billet. Passé ce délai, elle sera proposée à la personne suivante sur la liste.
   *[other] { $seats } places vous sont gardées jusqu’au { $day } à { $time } ({ $zone }). Réservez-les avec le lien ci-dessous : vous recevrez aussitôt vos billets. Passé ce délai, elles seront proposées à la personne suivante sur la liste.
}
mail-offer-claim-link = Réserver mes places
mail-offer-closed = Des places vous ont été proposées pour { $film } le { $when }, mais cette offre n’est plus valable.
mail-offer-entry-link = Voir mon inscription sur la liste d’attente

# « Retrouver mes billets » : toutes les réservations en cours d’une adresse.
mail-find-subject = Vos billets
mail-find-heading = Vos billets
mail-find-intro = { $count ->
    [one] Quelqu’un (vous, nous l’espérons) a demandé les billets réservés avec cette adresse. Il y a { $count } réservation en cours. Le lien ci-dessous mène à ses billets, pour les imprimer ou les annuler.
   *[other] Quelqu’un (vous, nous l’espérons) a demandé les billets réservés avec cette adresse. Il y a { $count } réservations en cours. Chaque lien ci-dessous mène aux billets d’une réservation, pour les imprimer ou les annuler.
}
mail-find-booking = { $seats ->
    [one] { $film }, { $when } ({ $venue }) — { $seats } billet
   *[other] { $film }, { $when } ({ $venue }) — { $seats } billets
}

# Le formulaire d’invitation des organisateurs : la langue des messages envoyés à l’invité.
mail-invitation-lang = Langue des messages envoyés à l’invité

# Erreurs de l’API et des formulaires concernant la langue.
error-lang = Choisissez l’anglais, le français ou le vietnamien (en, fr ou vi).

mail-seats-cancelled-subject = Places annulées : { $film }, { $when }
mail-seats-cancelled-heading = { $film } — places annulées
mail-seats-cancelled = { $cancelled ->
    [one] Comme vous l’avez demandé, { $cancelled } place pour { $film } le { $when } est annulée et libérée pour quelqu’un d’autre.
   *[other] Comme vous l’avez demandé, { $cancelled } places pour { $film } le { $when } sont annulées et libérées pour d’autres spectateurs.
} { $kept ->
    [one] Votre autre billet reste valable.
   *[other] Vos { $kept } autres billets restent valables.
}

# File names of the attachments (letters, digits and dashes: every mail program shows them whole).
mail-file-tickets = billets
mail-file-screening = seance
mail-pass-subject = Votre pass pour { $festival }
mail-pass-heading = Votre pass { $kind }
mail-pass-intro = Voici votre pass du festival ({ $category }). Montrez son code QR à l’entrée, sur votre téléphone ou imprimé : le badge est joint.
mail-pass-reserve = Réservez votre place pour chaque séance que vous voulez voir sur la page de votre pass.
mail-pass-link = La page de votre pass : réserver et rendre des places
mail-pass-label = Pass { $kind } ({ $category }) · { $name }
mail-pass-pdf-title = { $festival } : pass de { $name }
mail-file-pass = pass
mail-not-sent-pass-revoked = Non envoyé : le pass a été révoqué.
mail-not-sent-staff-revoked = Non envoyé : l’accès de cette personne a été révoqué.
mail-staff-invitation-subject = Votre invitation dans l’équipe du festival
mail-staff-invitation-intro = Vous avez été ajouté à l’équipe d’un festival sur Marquee. Ouvrez le lien ci-dessous pour configurer votre compte (il fonctionne une fois, pendant { $days } jours).
mail-staff-invitation-link = Configurer mon compte
mail-staff-sign-in-subject = Votre lien de connexion
mail-staff-sign-in-intro = Quelqu’un a demandé à se connecter à Marquee avec cette adresse. Si c’est vous, ouvrez le lien ci-dessous (il fonctionne une fois, pendant { $minutes } minutes). Sinon, ignorez ce message.
mail-staff-sign-in-link = Se connecter
