DROP INDEX tickets_admitted;
DROP TABLE attendees;
DROP TABLE screening_tallies;
