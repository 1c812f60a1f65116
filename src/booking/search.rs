//! Finding bookings by their holder, as the box office does: "Le Thu", "Van Minh", "tran" or part
//! of an address find "Lê Thu Hà", "Nguyễn Văn Minh", "Trần …" — accents and case ignored
//! ([`crate::domain::search`]), each word of the search beginning a word of the holder's name or
//! address. Through an index (`booking_words`, filled with each booking), so a search reads only
//! the bookings it finds, however many there are.

use diesel::prelude::*;

use crate::db::AnyConnection;
use crate::db::schema::{booking_words, bookings};
use crate::domain::search::{upper_bound, words};
use crate::error::AppError;

/// The words a booking is found by: its holder's name and address.
pub fn words_of(name: &str, email: &str) -> Vec<String> {
    let mut all = words(name);
    for word in words(email) {
        if !all.contains(&word) {
            all.push(word);
        }
    }
    all
}

/// The ids of the bookings (newest first, at most `limit`) whose holder has, for each word of
/// `text`, a word beginning with it. None for a search without words.
pub fn find(conn: &mut AnyConnection, text: &str, limit: i64) -> Result<Vec<String>, AppError> {
    let wanted = words(text);
    let Some((first, rest)) = wanted.split_first() else {
        return Ok(Vec::new());
    };
    let with_prefix = |prefix: &str| {
        booking_words::table
            .filter(booking_words::word.ge(prefix.to_owned()))
            .filter(booking_words::word.lt(upper_bound(prefix)))
            .select(booking_words::booking_id)
    };
    let mut query = bookings::table
        .filter(bookings::id.eq_any(with_prefix(first)))
        .select(bookings::id)
        .order(bookings::created_at.desc())
        .limit(limit)
        .into_boxed();
    for word in rest {
        query = query.filter(bookings::id.eq_any(with_prefix(word)));
    }
    Ok(query.load(conn)?)
}

/// Gives every booking made before its words were kept (an older database) its words, a thousand
/// at a time; run at start. Returns how many bookings it indexed.
pub fn backfill(conn: &mut AnyConnection) -> Result<usize, AppError> {
    let mut indexed = 0;
    loop {
        let missing: Vec<(String, String, String)> = bookings::table
            // An erased booking is nobody's to find (its words were removed with its details).
            .filter(bookings::email.ne(""))
            .filter(diesel::dsl::not(diesel::dsl::exists(
                booking_words::table.filter(booking_words::booking_id.eq(bookings::id)),
            )))
            .select((bookings::id, bookings::name, bookings::email))
            .limit(1000)
            .load(conn)?;
        if missing.is_empty() {
            return Ok(indexed);
        }
        let rows: Vec<_> = missing
            .iter()
            .flat_map(|(id, name, email)| {
                words_of(name, email).into_iter().map(move |word| {
                    (
                        booking_words::word.eq(word),
                        booking_words::booking_id.eq(id.clone()),
                    )
                })
            })
            .collect();
        if rows.is_empty() {
            return Ok(indexed);
        }
        crate::on_each_backend!(conn, c => {
            diesel::insert_into(booking_words::table).values(&rows).execute(c)?;
        });
        indexed += missing.len();
    }
}
