DROP TABLE booking_words;
