//! One screening's scans, decided and written together ([`super::record::record`] makes the
//! group): each scan judged in arrival order against what was read under the screening's lock,
//! then the admissions, the moved admissions of offline scans and the log entries written with a
//! handful of set-based statements.

use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDateTime, SubsecRound};
use diesel::prelude::*;

use super::answer::{Reason, ScanAnswer, ScreeningInfo, TicketInfo};
use super::chain::{Chain, LogEntry, ScanRow, ScreeningState, kept_reading};
use super::request::{Mode, ScanRequest, request_digest};
use super::scan::{Scan, Scanned};
use super::verdict::{Judgement, TicketFacts, judge};
use super::words::Said;
use crate::booking::queries::{Booking, Ticket};
use crate::catalogue::queries::ScreeningListing;
use crate::db::AnyConnection;
use crate::db::schema::tickets;
use crate::db::tallies::{self, Pending};
use crate::domain::format;
use crate::domain::ticket_code::CodeError;
use crate::domain::{ScanKind, ScreeningId, TicketId, TicketStatus, Verdict};
use crate::error::{AppError, Refusal};
use crate::i18n::Lang;

/// An answer already given to a nonce: its log entry.
pub(super) struct Earlier {
    pub(super) row: ScanRow,
    pub(super) screening: ScreeningId,
}

/// The same request again gets the same answer; the nonce used for another code or door target
/// is refused, and nothing is scanned (replaying would report a verdict for a code nobody
/// checked).
pub(super) fn replay(
    (answer, screening): (ScanAnswer, ScreeningId),
    stored_digest: Option<&str>,
    digest: &str,
) -> Scanned {
    if stored_digest.is_some_and(|stored| stored != digest) {
        return replay_refused();
    }
    let mut answer = answer;
    answer.replayed = true;
    Ok((answer, screening))
}

/// A nonce used again for another scan.
fn replay_refused() -> Scanned {
    Err(AppError::conflict(
        Refusal::NonceReused,
        crate::msg!("error-nonce-reused"),
    ))
}

/// Whether a scan's code is genuine, and the ticket it names when it is (with its booking, and
/// its screening: the judged one, fresh, or the one the code named).
pub(super) fn ticket_of<'a>(
    judged: &'a ScreeningListing,
    tickets: &'a HashMap<TicketId, (Ticket, Booking)>,
    item: &'a Scan,
) -> (Result<(), CodeError>, Option<TicketFacts<'a>>) {
    let presented = match &item.route.code {
        Err(error) => return (Err(*error), None),
        Ok(presented) => presented,
    };
    let claims = presented.claims;
    let found = tickets
        .get(&claims.ticket)
        .filter(|(ticket, _)| ticket.screening_id == claims.screening);
    let genuine = match found {
        Some((ticket, _)) if presented.is_issued(&ticket.code) => Ok(()),
        _ => item.verifier.check_signature(presented),
    };
    let facts = match (genuine, found) {
        (Ok(()), Some((ticket, booking))) => {
            let screening = if ticket.screening_id == judged.screening.id {
                Some(judged)
            } else {
                item.route.named.as_deref()
            };
            screening.map(|screening| TicketFacts {
                ticket,
                booking,
                screening,
            })
        }
        _ => None,
    };
    (genuine, facts)
}

/// An admission: when, and at which door.
type Admission = (NaiveDateTime, String);

/// When a scan is judged: now (`server_time`) online; when the device scanned, offline.
fn judged_at(
    item: &Scan,
    server_time: NaiveDateTime,
    logged: Option<NaiveDateTime>,
) -> NaiveDateTime {
    match item.mode {
        Mode::Online => server_time,
        Mode::Offline { scanned_at, .. } => logged.unwrap_or(scanned_at).trunc_subsecs(6),
    }
}

/// What a device without the network told a person it turned away, as the reason kept for the
/// scan: uploaded later, such a scan admits no one, whatever the server would decide now (they
/// did not go in; a ticket stays unused for when they come back). `None`: the device let them
/// in, or the scan was made online.
fn turned_away(item: &Scan) -> Option<Reason> {
    let Mode::Offline { verdict, .. } = item.mode else {
        return None;
    };
    Some(match verdict {
        Verdict::Admitted | Verdict::Annulled => return None,
        // A festival pass's holder its list knew no seat for.
        Verdict::NoReservation
        | Verdict::NotValidForScreening
        | Verdict::Unknown
        | Verdict::Cancelled
        | Verdict::Invalid
            if item.route.pass.is_some() =>
        {
            Reason::NoReservation
        }
        Verdict::Invalid => Reason::CodeSignature,
        Verdict::Unknown => Reason::NoSuchTicket,
        Verdict::Cancelled => Reason::TicketCancelled,
        Verdict::WrongScreening => Reason::WrongScreening,
        Verdict::TooEarly => Reason::TooEarly,
        Verdict::TooLate => Reason::TooLate,
        Verdict::RoomFull => Reason::RoomFull,
        Verdict::AlreadyAdmitted => Reason::AlreadyAdmitted,
        Verdict::NoReservation => Reason::NoReservation,
        Verdict::NotValidForScreening => Reason::PassNotValid,
    })
}

/// Whether what was read is laid out as a ticket code (genuine or not): kept as read in the log.
fn is_a_code(code: &Result<(), CodeError>) -> bool {
    !matches!(code, Err(CodeError::Format | CodeError::Incomplete))
}

/// One screening's scans being recorded.
pub(super) struct Group {
    /// The screening, refreshed with its row as read under the lock.
    pub(super) judged: ScreeningListing,
    pub(super) state: ScreeningState,
    pub(super) chain: Chain,
    pub(super) now: NaiveDateTime,
    /// The stored answers to the group's nonces, by (staff member, nonce).
    pub(super) earlier: HashMap<(String, String), Earlier>,
    pub(super) tickets: HashMap<TicketId, (Ticket, Booking)>,
    /// The screening as shown to doors, in each language asked for.
    pub(super) infos: HashMap<Lang, ScreeningInfo>,
    /// Nonces answered by this group: the answer's place in `answers`, and what was asked.
    pub(super) answered_here: HashMap<(String, String), (usize, String)>,
    /// Tickets admitted by this group: when, and at which door.
    pub(super) admitted_here: HashMap<TicketId, (NaiveDateTime, String)>,
    /// Tickets admitted before whose admission this group moves to an earlier offline scan:
    /// (the admission stored, the one that came first by the devices' clocks).
    pub(super) moved_here: HashMap<TicketId, (Admission, Admission)>,
    /// The log entries to write.
    pub(super) rows: Vec<ScanRow>,
    /// One per scan decided so far, in order.
    pub(super) answers: Vec<Scanned>,
    /// The attendance the group's admissions add.
    pub(super) rollups: Pending,
}

impl Group {
    /// Decides one scan, in arrival order, and keeps what is to be written: its answer (a retry's
    /// earlier one, or a refused nonce), or an error that fails the group.
    pub(super) fn scan(&mut self, item: &Scan) -> Result<Scanned, AppError> {
        let request = &item.request;
        let digest = request_digest(request);
        let key = (item.staff.id.to_string(), request.nonce.clone());
        if let Some(earlier) = self.earlier.get(&key) {
            let (row, screening) = (earlier.row.clone(), earlier.screening);
            // An entry from before digests were kept is this request only at this screening.
            let stored = (row.request_digest.clone())
                .or_else(|| (screening != self.judged.screening.id).then(String::new));
            if stored.as_deref().is_some_and(|stored| stored != digest) {
                return Ok(replay_refused());
            }
            let answer = self.answer(&row, item)?;
            return Ok(replay((answer, screening), None, &digest));
        }
        if let Some((at, asked)) = self.answered_here.get(&key)
            && let Some(Ok((answer, screening))) = self.answers.get(*at)
        {
            return Ok(replay((answer.clone(), *screening), Some(asked), &digest));
        }
        // When the person stood at the door: now, or when the device scanned offline.
        let at = judged_at(item, self.now, None);
        let (code, ticket) = ticket_of(&self.judged, &self.tickets, item);
        let mut admitted_now = false;
        let mut first_admitted: Option<Admission> = None;
        // An admission recorded earlier that this scan, scanned before it, displaces.
        let mut displaced: Option<Admission> = None;
        let judgement = match item.pass_refusal {
            Some(reason) => Judgement::Refuse(reason),
            None => judge(code, ticket, &self.judged, at),
        };
        // Seats of holders not yet arrived may have gone to the standby line (read under the
        // screening's lock, as standby admissions are made): never more people than seats. A
        // ticket already in is told so, full room or not.
        let room_full = self.chain.admitted + self.state.standby_admitted >= self.state.capacity;
        let reason = match judgement {
            Judgement::Refuse(reason) => reason,
            Judgement::Admit => {
                let t = ticket.ok_or_else(|| {
                    AppError::internal(anyhow::anyhow!("an admission without a ticket"))
                })?;
                let first = self
                    .admitted_here
                    .get(&t.ticket.id)
                    .cloned()
                    .or_else(|| self.moved_here.get(&t.ticket.id).map(|(_, to)| to.clone()))
                    .or_else(|| {
                        t.ticket
                            .admitted_at
                            .map(|at| (at, t.ticket.admitted_door.clone().unwrap_or_default()))
                    });
                // Two doors admitted one ticket offline, and the one that scanned first uploads
                // last: by the devices' clocks, the admission is this one.
                let scanned_first = item.mode.admitted_offline()
                    && first.as_ref().is_some_and(|(first_at, _)| at < *first_at);
                match first {
                    None if room_full => Reason::RoomFull,
                    // Someone a device turned away offline was not let in, whatever the ticket
                    // or pass holds by now.
                    None if let Some(reason) = turned_away(item) => reason,
                    None => {
                        admitted_now = true;
                        Reason::Welcome
                    }
                    Some(earlier) if scanned_first => {
                        displaced = Some(earlier);
                        Reason::Welcome
                    }
                    Some(earlier) => {
                        first_admitted = Some(earlier);
                        Reason::AlreadyAdmitted
                    }
                }
            }
        };
        let conflict = item.mode.admitted_offline() && reason.verdict() != Verdict::Admitted;
        let ticket_id = ticket.map(|t| t.ticket.id);
        let scan_id = uuid::Uuid::now_v7().to_string();
        let row = self.chain.append(
            LogEntry {
                id: &scan_id,
                kind: ScanKind::Scan,
                reason,
                ticket_id: ticket_id.map(|id| id.to_string()),
                scanned: kept_reading(&request.code, is_a_code(&code) || item.route.pass.is_some()),
                door: &request.door,
                staff: &item.staff,
                nonce: &request.nonce,
                request_digest: Some(digest.clone()),
                client_time: request.client_time,
                now: self.now,
                first_admitted,
                conflict,
            },
            i32::from(admitted_now),
        );
        let capacity = self.chain.capacity();
        let answer = answer_of(
            Loaded {
                judged: &self.judged,
                tickets: &self.tickets,
                infos: &mut self.infos,
                capacity,
            },
            &row,
            item,
        )?;
        self.rows.push(row);
        if admitted_now && let Some(t) = ticket {
            self.admitted_here
                .insert(t.ticket.id, (at, request.door.clone()));
            tallies::admission(
                &mut self.rollups,
                &tallies::Admission {
                    screening: self.judged.screening.id,
                    country: &t.booking.country,
                    category: t.ticket.category,
                },
                1,
            );
        }
        if let (Some(first), Some(id)) = (displaced, ticket_id) {
            self.displace(id, first, (at, request), item);
        }
        self.answered_here.insert(key, (self.answers.len(), digest));
        Ok(Ok((answer, self.judged.screening.id)))
    }

    /// The answer a log entry gives, put into words in the current language from its facts and
    /// the records as they are now: for the scan that made it, and for any retry of it.
    fn answer(&mut self, row: &ScanRow, item: &Scan) -> Result<ScanAnswer, AppError> {
        let capacity = self.chain.capacity();
        answer_of(
            Loaded {
                judged: &self.judged,
                tickets: &self.tickets,
                infos: &mut self.infos,
                capacity,
            },
            row,
            item,
        )
    }

    /// Moves a ticket's admission to an offline scan made before it (`at`, at `request`'s door),
    /// and logs the admission it displaces as the conflict it turns out to be: a second use of
    /// the ticket, at its door and time, by the devices' clocks. The admitted count stays.
    fn displace(
        &mut self,
        id: TicketId,
        (first_at, first_door): Admission,
        (at, request): (NaiveDateTime, &ScanRequest),
        item: &Scan,
    ) {
        if let Some(here) = self.admitted_here.get_mut(&id) {
            *here = (at, request.door.clone());
        } else {
            let stored = self
                .moved_here
                .remove(&id)
                .map_or_else(|| (first_at, first_door.clone()), |(stored, _)| stored);
            self.moved_here
                .insert(id, (stored, (at, request.door.clone())));
        }
        let scan_id = uuid::Uuid::now_v7().to_string();
        let row = self.chain.append(
            LogEntry {
                id: &scan_id,
                kind: ScanKind::Scan,
                reason: Reason::Displaced,
                ticket_id: Some(id.to_string()),
                scanned: kept_reading(&request.code, true),
                door: &first_door,
                staff: &item.staff,
                nonce: &format!("reordered-{scan_id}"),
                request_digest: None,
                client_time: Some(first_at),
                now: self.now,
                first_admitted: Some((at, request.door.clone())),
                conflict: true,
            },
            0,
        );
        self.rows.push(row);
    }

    /// Writes what the group decided: the admissions (one conditional update per door), the log
    /// entries (one insert) and the screening's counter and chain head (one update).
    pub(super) fn write(&self, conn: &mut AnyConnection) -> Result<(), AppError> {
        // Admissions moved to an earlier offline scan: each still as this group read it.
        for (ticket, ((from_at, _), (to_at, to_door))) in &self.moved_here {
            let moved = diesel::update(
                tickets::table
                    .find(ticket.to_string())
                    .filter(tickets::admitted_at.eq(Some(*from_at))),
            )
            .set((
                tickets::admitted_at.eq(Some(*to_at)),
                tickets::admitted_door.eq(Some(to_door)),
            ))
            .execute(conn)?;
            if moved != 1 {
                return Err(AppError::Transient(anyhow::anyhow!(
                    "the admission of ticket {ticket} changed under its screening's lock"
                )));
            }
        }
        let mut admissions: BTreeMap<(NaiveDateTime, &str), Vec<String>> = BTreeMap::new();
        for (ticket, (at, door)) in &self.admitted_here {
            admissions
                .entry((*at, door))
                .or_default()
                .push(ticket.to_string());
        }
        for ((at, door), ids) in &admissions {
            let admitted = diesel::update(
                tickets::table
                    .filter(tickets::id.eq_any(ids))
                    .filter(tickets::admitted_at.is_null())
                    .filter(tickets::status.eq(TicketStatus::Valid.as_str())),
            )
            .set((
                tickets::admitted_at.eq(Some(*at)),
                tickets::admitted_door.eq(Some(door)),
            ))
            .execute(conn)?;
            if admitted != ids.len() {
                // Changed since they were read under the screening's lock: a write that did not
                // take it. Undone; the group runs again on what is there now.
                return Err(AppError::Transient(anyhow::anyhow!(
                    "{} of {} tickets changed under their screening's lock",
                    ids.len() - admitted,
                    ids.len()
                )));
            }
        }
        self.chain.store(conn, &self.rows)
    }
}

/// What an answer is made from besides its log entry: the group's screening, the tickets it
/// loaded, the screening as shown to doors (by language), the room's capacity.
struct Loaded<'g> {
    judged: &'g ScreeningListing,
    tickets: &'g HashMap<TicketId, (Ticket, Booking)>,
    infos: &'g mut HashMap<Lang, ScreeningInfo>,
    capacity: i32,
}

/// The answer a log entry gives, put into words in the current language from its facts and the
/// records as they are now: for the scan that made it, and for any retry of it.
fn answer_of(on: Loaded<'_>, row: &ScanRow, item: &Scan) -> Result<ScanAnswer, AppError> {
    let Loaded {
        judged,
        tickets,
        infos,
        capacity,
    } = on;
    let reason = Reason::from_db("scans.reason", &row.reason)?;
    let ticket = (row.ticket_id.as_deref())
        .map(|id| TicketId::from_db("scans.ticket_id", id))
        .transpose()?
        .and_then(|id| tickets.get(&id));
    let zone = judged.zone();
    let ticket_screening = (reason == Reason::WrongScreening)
        .then_some(item.route.named.as_deref())
        .flatten();
    let message = super::words::message(&Said {
        reason,
        judged,
        ticket_screening,
        holder: ticket.map(|(_, booking)| booking.name.as_str()),
        at: judged_at(item, row.server_time, row.client_time),
        door: &row.door,
        client_time: row.client_time,
        first: row
            .first_admitted_at
            .map(|at| (at, row.first_admitted_door.as_deref().unwrap_or_default())),
        conflict: row.conflict,
    });
    let screening = infos
        .entry(crate::i18n::current())
        .or_insert_with(|| ScreeningInfo::new(judged))
        .clone();
    Ok(ScanAnswer {
        verdict: reason.verdict(),
        message,
        scan_id: row.id.clone(),
        ticket: ticket
            .map(|(ticket, booking)| TicketInfo::of(ticket, &booking.name, booking.seats)),
        screening: Some(screening),
        ticket_screening: ticket_screening.map(ScreeningInfo::new),
        first_admitted_at: row.first_admitted_at.map(|at| format::rfc3339(at, zone)),
        first_admitted_door: row.first_admitted_door.clone(),
        admitted: row.admitted_count,
        capacity,
        replayed: false,
        conflict: row.conflict,
        pass: None,
    })
}
