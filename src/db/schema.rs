//! The database schema, written by hand to match `migrations/` on both backends.

diesel::table! {
    festivals (id) {
        id -> Text,
        slug -> Text,
        name -> Text,
        starts_on -> Date,
        ends_on -> Date,
        timezone -> Text,
        attendance_goal -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    venues (id) {
        id -> Text,
        name -> Text,
        city -> Text,
        address -> Text,
        timezone -> Text,
        rooms -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    films (id) {
        id -> Text,
        title -> Text,
        original_title -> Text,
        director -> Text,
        year -> Integer,
        runtime_minutes -> Integer,
        country -> Text,
        created_at -> Timestamp,
        language -> Text,
        subtitles -> Text,
        synopsis -> Text,
    }
}

diesel::table! {
    screenings (id) {
        id -> Text,
        festival_id -> Text,
        film_id -> Text,
        venue_id -> Text,
        room -> Text,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        capacity -> Integer,
        booked -> Integer,
        admitted -> Integer,
        doors_open_minutes -> Integer,
        doors_close_minutes -> Integer,
        status -> Text,
        created_at -> Timestamp,
        scan_seq -> Integer,
        scan_head -> Text,
        held -> Integer,
        waitlist_open -> Bool,
        waiting_min_seats -> Nullable<Integer>,
        offer_minutes -> Integer,
        standby_release_minutes -> Nullable<Integer>,
        standby_keep -> Integer,
        standby_issued -> Integer,
        standby_admitted -> Integer,
    }
}

diesel::table! {
    bookings (id) {
        id -> Text,
        screening_id -> Text,
        name -> Text,
        email -> Text,
        country -> Text,
        seats -> Integer,
        manage_token_hash -> Text,
        status -> Text,
        created_at -> Timestamp,
        cancelled_at -> Nullable<Timestamp>,
        lang -> Text,
    }
}

diesel::table! {
    tickets (id) {
        id -> Text,
        booking_id -> Text,
        screening_id -> Text,
        seat_number -> Integer,
        category -> Text,
        code -> Text,
        status -> Text,
        admitted_at -> Nullable<Timestamp>,
        admitted_door -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    staff (id) {
        id -> Text,
        name -> Text,
        role -> Text,
        festival_id -> Nullable<Text>,
        venue_id -> Nullable<Text>,
        token_hash -> Text,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    sessions (token_hash) {
        token_hash -> Text,
        staff_id -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    signing_keys (key_id) {
        key_id -> Text,
        public_key -> Text,
        secret_key -> Text,
        created_at -> Timestamp,
        retired_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    scans (id) {
        id -> Text,
        screening_id -> Text,
        seq -> Integer,
        kind -> Text,
        verdict -> Text,
        ticket_id -> Nullable<Text>,
        scanned -> Text,
        door -> Text,
        staff_id -> Text,
        nonce -> Text,
        client_time -> Nullable<Timestamp>,
        server_time -> Timestamp,
        response -> Text,
        prev_hash -> Text,
        hash -> Text,
        request_digest -> Nullable<Text>,
        conflict -> Bool,
    }
}

diesel::table! {
    screening_tallies (screening_id, kind, label) {
        screening_id -> Text,
        kind -> Text,
        label -> Text,
        issued -> Integer,
        admitted -> Integer,
        first_admissions -> Integer,
    }
}

diesel::table! {
    attendees (festival_id, email) {
        festival_id -> Text,
        email -> Text,
        admitted_tickets -> Integer,
        counted_screening_id -> Text,
        counted_country -> Text,
    }
}

diesel::table! {
    // In the order `OutboxRow` reads them: the message, then its delivery.
    outbox (id) {
        id -> Text,
        kind -> Text,
        booking_id -> Nullable<Text>,
        waitlist_entry_id -> Nullable<Text>,
        recipient -> Text,
        subject -> Text,
        lang -> Text,
        file -> Nullable<Text>,
        created_at -> Timestamp,
        status -> Text,
        attempts -> Integer,
        last_error -> Nullable<Text>,
        next_attempt_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    waitlist_entries (id) {
        id -> Text,
        screening_id -> Text,
        position -> Integer,
        name -> Text,
        email -> Text,
        country -> Text,
        seats -> Integer,
        status -> Text,
        created_at -> Timestamp,
        offered_at -> Nullable<Timestamp>,
        offer_expires_at -> Nullable<Timestamp>,
        booking_id -> Nullable<Text>,
        lang -> Text,
    }
}

diesel::table! {
    waitlist_tokens (token_hash) {
        token_hash -> Text,
        entry_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    standby_numbers (screening_id, number) {
        screening_id -> Text,
        number -> Integer,
        status -> Text,
        issued_at -> Timestamp,
        issued_by -> Text,
        admitted_at -> Nullable<Timestamp>,
        admitted_door -> Nullable<Text>,
    }
}

diesel::table! {
    manage_tokens (token_hash) {
        token_hash -> Text,
        booking_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(screenings -> festivals (festival_id));
diesel::joinable!(screenings -> films (film_id));
diesel::joinable!(screenings -> venues (venue_id));
diesel::joinable!(bookings -> screenings (screening_id));
diesel::joinable!(tickets -> bookings (booking_id));
diesel::joinable!(outbox -> bookings (booking_id));
diesel::joinable!(manage_tokens -> bookings (booking_id));
diesel::joinable!(tickets -> screenings (screening_id));
diesel::joinable!(sessions -> staff (staff_id));
diesel::table! {
    booking_words (word, booking_id) {
        word -> Text,
        booking_id -> Text,
    }
}

diesel::joinable!(booking_words -> bookings (booking_id));
diesel::joinable!(scans -> screenings (screening_id));
diesel::joinable!(screening_tallies -> screenings (screening_id));
diesel::joinable!(scans -> staff (staff_id));
diesel::joinable!(waitlist_entries -> screenings (screening_id));
diesel::joinable!(waitlist_tokens -> waitlist_entries (entry_id));
diesel::joinable!(standby_numbers -> screenings (screening_id));

diesel::allow_tables_to_appear_in_same_query!(
    festivals,
    venues,
    films,
    screenings,
    bookings,
    tickets,
    staff,
    sessions,
    signing_keys,
    scans,
    screening_tallies,
    attendees,
    outbox,
    manage_tokens,
    waitlist_entries,
    waitlist_tokens,
    standby_numbers,
    booking_words,
);
