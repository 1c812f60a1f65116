-- "Find my tickets" and the sender look bookings up by address, whatever its case.
CREATE INDEX bookings_email_lower ON bookings (lower(email));
