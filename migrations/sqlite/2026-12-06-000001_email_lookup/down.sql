DROP INDEX bookings_email_lower;
