# Shared words: page chrome, availability, plurals used on several pages.

seats-left = { $count ->
    [one] 1 seat left
   *[other] { $count } seats left
}

chrome-skip = Skip to the content
chrome-nav = Main
chrome-festivals = Festivals
chrome-my-tickets = My tickets
chrome-door = Door
chrome-organise = Organise
chrome-staff = Staff
chrome-language = Language
chrome-footer = Marquee — festival ticketing and attendance

category-public = Public
category-guest = Guest
category-press = Press
category-jury = Jury
category-pass = Pass
pass-category-audience = Festival pass
pass-category-press = Press
pass-category-industry = Industry
pass-category-jury = Jury
pass-category-guest = Guest
pass-category-volunteer = Volunteer
role-organiser = Organiser
role-door = Door staff
role-member = Team member
role-token = API token
team-role-owner = Owner
team-role-programme = Programme
team-role-box-office = Box office
team-role-door-lead = Door lead
team-role-reports = Reports
team-role-door = Door staff
permission-team = the team, settings and personal data
permission-programme = the programme
permission-box-office = the box office
permission-door-lead = the doors' organisation
permission-reports = reports
permission-door = scanning at the door
