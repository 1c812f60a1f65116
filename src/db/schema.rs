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
        retention_days -> Integer,
        controller -> Text,
        shredded_at -> Nullable<Timestamp>,
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
        pass_seats -> Integer,
        pass_taken -> Integer,
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
        person_id -> Text,
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
        permissions -> Nullable<Text>,
        expires_at -> Nullable<Timestamp>,
        last_used_at -> Nullable<Timestamp>,
        created_by -> Nullable<Text>,
        email -> Nullable<Text>,
        totp_secret -> Nullable<Text>,
        totp_step -> Nullable<BigInt>,
        failed_codes -> Integer,
        failed_code_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    account_links (token_hash) {
        token_hash -> Text,
        staff_id -> Text,
        purpose -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    recovery_codes (code_hash) {
        code_hash -> Text,
        staff_id -> Text,
        created_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    passkeys (id) {
        id -> Text,
        staff_id -> Text,
        name -> Text,
        credential_id -> Text,
        credential -> Text,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    webauthn_ceremonies (id) {
        id -> Text,
        staff_id -> Text,
        kind -> Text,
        state -> Text,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    team_roles (staff_id, festival_id, role) {
        staff_id -> Text,
        festival_id -> Text,
        role -> Text,
        granted_at -> Timestamp,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Text,
        at -> Timestamp,
        festival_id -> Nullable<Text>,
        actor_id -> Nullable<Text>,
        actor_name -> Text,
        via -> Text,
        action -> Text,
        subject -> Text,
        before -> Nullable<Text>,
        after -> Nullable<Text>,
    }
}

diesel::table! {
    pass_photos (pass_id) {
        pass_id -> Text,
        jpeg -> Binary,
        created_at -> Timestamp,
    }
}

diesel::table! {
    sessions (token_hash) {
        token_hash -> Text,
        staff_id -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        id -> Nullable<Text>,
        user_agent -> Text,
        address -> Text,
        method -> Text,
        last_seen_at -> Nullable<Timestamp>,
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
        reason -> Text,
        ticket_id -> Nullable<Text>,
        scanned -> Text,
        door -> Text,
        staff_id -> Text,
        nonce -> Text,
        client_time -> Nullable<Timestamp>,
        server_time -> Timestamp,
        admitted_count -> Integer,
        first_admitted_at -> Nullable<Timestamp>,
        first_admitted_door -> Nullable<Text>,
        conflict -> Bool,
        prev_hash -> Text,
        hash -> Text,
        request_digest -> Nullable<Text>,
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
    attendees (festival_id, person_id) {
        festival_id -> Text,
        person_id -> Text,
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
        pass_id -> Nullable<Text>,
        staff_id -> Nullable<Text>,
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
        person_id -> Text,
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

diesel::table! {
    people (id) {
        id -> Text,
        festival_id -> Text,
        email_key -> Nullable<Text>,
        created_at -> Timestamp,
        erased_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    privacy_notices (festival_id, lang) {
        festival_id -> Text,
        lang -> Text,
        body -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    consents (id) {
        id -> Text,
        person_id -> Text,
        purpose -> Text,
        given_at -> Timestamp,
        withdrawn_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    data_requests (token_hash) {
        token_hash -> Text,
        email -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    erasures (id) {
        id -> Text,
        at -> Timestamp,
        festival_id -> Nullable<Text>,
        requested_by -> Text,
        staff_id -> Nullable<Text>,
        counts -> Text,
    }
}

diesel::table! {
    data_exports (id) {
        id -> Text,
        at -> Timestamp,
        staff_id -> Text,
        festival_id -> Nullable<Text>,
        what -> Text,
    }
}

diesel::table! {
    scan_projections (screening_id) {
        screening_id -> Text,
        seq -> Integer,
    }
}

diesel::table! {
    chain_upgrades (screening_id) {
        screening_id -> Text,
        upgraded_at -> Timestamp,
        entries -> Integer,
        old_head -> Text,
        new_head -> Text,
        old_chain_intact -> Bool,
    }
}

diesel::table! {
    pass_types (id) {
        id -> Text,
        festival_id -> Text,
        name -> Text,
        category -> Text,
        valid_from -> Nullable<Date>,
        valid_until -> Nullable<Date>,
        film_ids -> Text,
        venue_ids -> Text,
        max_reservations -> Nullable<Integer>,
        max_per_day -> Nullable<Integer>,
        max_held -> Nullable<Integer>,
        walk_in -> Bool,
        release_minutes -> Integer,
        no_show_limit -> Nullable<Integer>,
        created_at -> Timestamp,
        names -> Text,
    }
}

diesel::table! {
    passes (id) {
        id -> Text,
        festival_id -> Text,
        pass_type_id -> Text,
        person_id -> Text,
        name -> Text,
        email -> Text,
        organisation -> Text,
        country -> Text,
        lang -> Text,
        code -> Text,
        manage_token_hash -> Text,
        status -> Text,
        reservations_made -> Integer,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        photo_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    idempotency_keys (scope, key) {
        scope -> Text,
        key -> Text,
        request_hash -> Text,
        status -> Nullable<Integer>,
        content_type -> Nullable<Text>,
        body -> Nullable<Text>,
        created_at -> Timestamp,
        written -> Nullable<Text>,
        failed_at -> Nullable<Timestamp>,
        location -> Nullable<Text>,
    }
}

diesel::table! {
    pass_tokens (token_hash) {
        token_hash -> Text,
        pass_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    reservations (booking_id) {
        booking_id -> Text,
        pass_id -> Text,
        screening_id -> Text,
        status -> Text,
        walk_in -> Bool,
        created_at -> Timestamp,
        ended_at -> Nullable<Timestamp>,
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
diesel::joinable!(team_roles -> staff (staff_id));
diesel::joinable!(passkeys -> staff (staff_id));
diesel::joinable!(account_links -> staff (staff_id));
diesel::joinable!(team_roles -> festivals (festival_id));
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
diesel::joinable!(scans -> tickets (ticket_id));
diesel::joinable!(waitlist_entries -> screenings (screening_id));
diesel::joinable!(waitlist_tokens -> waitlist_entries (entry_id));
diesel::joinable!(standby_numbers -> screenings (screening_id));
diesel::joinable!(people -> festivals (festival_id));
diesel::joinable!(consents -> people (person_id));
diesel::joinable!(bookings -> people (person_id));
diesel::joinable!(privacy_notices -> festivals (festival_id));
diesel::joinable!(pass_types -> festivals (festival_id));
diesel::joinable!(passes -> pass_types (pass_type_id));
diesel::joinable!(pass_photos -> passes (pass_id));
diesel::joinable!(reservations -> passes (pass_id));
diesel::joinable!(reservations -> bookings (booking_id));
diesel::joinable!(reservations -> screenings (screening_id));

diesel::allow_tables_to_appear_in_same_query!(
    festivals,
    venues,
    films,
    screenings,
    bookings,
    tickets,
    staff,
    team_roles,
    audit_log,
    account_links,
    recovery_codes,
    passkeys,
    webauthn_ceremonies,
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
    people,
    privacy_notices,
    consents,
    data_requests,
    erasures,
    data_exports,
    chain_upgrades,
    scan_projections,
    pass_types,
    passes,
    pass_tokens,
    reservations,
    idempotency_keys,
    pass_photos,
);
