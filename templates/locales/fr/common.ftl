# Mots partagés : habillage des pages, disponibilité, pluriels utilisés sur plusieurs pages.

seats-left = { $count ->
    [one] { $count } place restante
   *[other] { $count } places restantes
}

chrome-skip = Aller au contenu
chrome-nav = Menu principal
chrome-festivals = Festivals
chrome-my-tickets = Mes billets
chrome-door = Entrée
chrome-organise = Organisation
chrome-staff = Espace équipe
chrome-language = Langue
chrome-footer = Marquee — billetterie et contrôle des entrées pour festivals

category-public = Public
category-guest = Invité
category-press = Presse
category-jury = Jury
category-pass = Pass
pass-category-audience = Pass festival
pass-category-press = Presse
pass-category-industry = Professionnels
pass-category-jury = Jury
pass-category-guest = Invité
pass-category-volunteer = Bénévole
role-organiser = Organisateur
role-door = Équipe d’accueil
role-member = Membre de l’équipe
role-token = Jeton d’API
team-role-owner = Responsable
team-role-programme = Programmation
team-role-box-office = Billetterie
team-role-door-lead = Responsable des entrées
team-role-reports = Rapports
team-role-door = Équipe d’accueil
permission-team = l’équipe, les réglages et les données personnelles
permission-programme = la programmation
permission-box-office = la billetterie
permission-door-lead = l’organisation des entrées
permission-reports = les rapports
permission-door = le contrôle à l’entrée
