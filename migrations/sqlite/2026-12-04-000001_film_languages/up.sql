-- What a film is spoken in and what subtitles it is shown with, as the organiser writes them
-- ("Vietnamese", "French"); empty when not given (for subtitles: none). The programme, the
-- screening page and the ticket show them, in the reader's language when they name a language.
ALTER TABLE films ADD COLUMN language TEXT NOT NULL DEFAULT '';
ALTER TABLE films ADD COLUMN subtitles TEXT NOT NULL DEFAULT '';
