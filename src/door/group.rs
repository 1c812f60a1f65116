//! One screening's scans, decided and written together ([`super::record::record`] makes the
//! group): each scan judged in arrival order against what was read under the screening's lock,
//! then the admissions, the moved admissions of offline scans and the log entries written with a
//! handful of set-based statements.

use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDateTime, SubsecRound};
use diesel::prelude::*;

use super::answer::{ScanAnswer, ScreeningInfo, TicketInfo};
use super::chain::{Chain, LogEntry, ScanRow, ScreeningState};
use super::request::{Mode, ScanRequest, request_digest};
use super::scan::{Scan, Scanned};
use super::verdict::{Judgement, TicketFacts, judge};
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
use crate::msg;

/// An answer already given to a nonce, as stored.
pub(super) struct Earlier {
    pub(super) answer: ScanAnswer,
    pub(super) screening: ScreeningId,
    /// What the scan asked for; `None` for entries from before digests were kept.
    pub(super) digest: Option<String>,
}

/// The same request again gets the same answer; the nonce used for another code or door target
/// is refused, and nothing is scanned (replaying would report a verdict for a code nobody
/// checked).
pub(super) fn replay(
    (answer, screening): (&ScanAnswer, ScreeningId),
    stored_digest: Option<&str>,
    digest: &str,
) -> Scanned {
    if stored_digest.is_some_and(|stored| stored != digest) {
        return Err(AppError::conflict(
            Refusal::NonceReused,
            crate::msg!("error-nonce-reused"),
        ));
    }
    let mut answer = answer.clone();
    answer.replayed = true;
    Ok((answer, screening))
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
            let answer = (&earlier.answer, earlier.screening);
            return Ok(replay(answer, earlier.digest.as_deref(), &digest));
        }
        if let Some((at, asked)) = self.answered_here.get(&key)
            && let Some(Ok((answer, screening))) = self.answers.get(*at)
        {
            return Ok(replay((answer, *screening), Some(asked), &digest));
        }
        // When the person stood at the door: now, or when the device scanned offline.
        let at = match item.mode {
            Mode::Online => self.now,
            Mode::Offline { scanned_at, .. } => scanned_at.trunc_subsecs(6),
        };
        let (code, ticket) = ticket_of(&self.judged, &self.tickets, item);
        let screening_info = self
            .infos
            .entry(crate::i18n::current())
            .or_insert_with(|| ScreeningInfo::new(&self.judged))
            .clone();
        let mut answer = ScanAnswer {
            verdict: Verdict::Invalid,
            message: String::new(),
            scan_id: uuid::Uuid::now_v7().to_string(),
            ticket: ticket.map(|t| TicketInfo {
                id: t.ticket.id.to_string(),
                holder_name: t.booking.name.clone(),
                category: t.ticket.category.to_string(),
                seat_number: t.ticket.seat_number,
                seats: t.booking.seats,
            }),
            screening: Some(screening_info),
            ticket_screening: None,
            first_admitted_at: None,
            first_admitted_door: None,
            admitted: 0,
            capacity: 0,
            replayed: false,
            conflict: false,
        };
        let zone = self.judged.zone();
        let mut admitted_now = false;
        // An admission recorded earlier that this scan, scanned before it, displaces.
        let mut displaced: Option<(NaiveDateTime, String)> = None;
        match judge(code, ticket, &self.judged, at) {
            Judgement::Refuse {
                verdict,
                message,
                ticket_screening,
            } => {
                answer.verdict = verdict;
                answer.message = message;
                answer.ticket_screening = ticket_screening.map(|s| *s);
            }
            // Seats of holders not yet arrived may have gone to the standby line (read under the
            // screening's lock, as standby admissions are made): never more people than seats.
            Judgement::Admit
                if self.chain.admitted + self.state.standby_admitted >= self.state.capacity =>
            {
                answer.verdict = Verdict::RoomFull;
                answer.message = msg!("door-room-full").to_string();
            }
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
                let scanned_first = matches!(
                    (item.mode, &first),
                    (Mode::Offline { admitted_offline: true, .. }, Some((first_at, _))) if at < *first_at
                );
                match first {
                    None => {
                        admitted_now = true;
                        answer.verdict = Verdict::Admitted;
                        answer.message = msg!("door-welcome", name = &t.booking.name).to_string();
                    }
                    Some(earlier) if scanned_first => {
                        answer.verdict = Verdict::Admitted;
                        answer.message = msg!("door-welcome", name = &t.booking.name).to_string();
                        displaced = Some(earlier);
                    }
                    Some((first_at, first_door)) => {
                        answer.verdict = Verdict::AlreadyAdmitted;
                        answer.first_admitted_at = Some(format::rfc3339(first_at, zone));
                        answer.message = msg!(
                            "door-already-admitted",
                            time = format::time_of_day(first_at, zone),
                            door = &first_door
                        )
                        .to_string();
                        answer.first_admitted_door = Some(first_door);
                    }
                }
            }
        }
        if let Mode::Offline {
            admitted_offline: true,
            scanned_at,
        } = item.mode
            && answer.verdict != Verdict::Admitted
        {
            answer.conflict = true;
            answer.message = msg!(
                "door-offline-conflict",
                door = &request.door,
                time = format::time_of_day(scanned_at, zone),
                answer = &answer.message
            )
            .to_string();
        }
        let ticket_id = ticket.map(|t| t.ticket.id);
        let scan_id = answer.scan_id.clone();
        let row = self.chain.append(
            LogEntry {
                id: &scan_id,
                kind: ScanKind::Scan,
                ticket_id: ticket_id.map(|id| id.to_string()),
                scanned: &request.code,
                door: &request.door,
                staff: &item.staff,
                nonce: &request.nonce,
                request_digest: Some(digest.clone()),
                client_time: request.client_time,
                now: self.now,
            },
            i32::from(admitted_now),
            &mut answer,
        )?;
        self.rows.push(row);
        let displaced = displaced.zip(ticket.map(|t| t.ticket.id));
        if admitted_now && let Some(t) = ticket {
            self.admitted_here
                .insert(t.ticket.id, (at, request.door.clone()));
            tallies::admission(
                &mut self.rollups,
                &tallies::Admission {
                    festival: self.judged.screening.festival_id,
                    screening: self.judged.screening.id,
                    email: &t.booking.email,
                    country: &t.booking.country,
                    category: t.ticket.category,
                },
                1,
            );
        }
        if let Some((first, id)) = displaced {
            let info = answer.ticket.clone();
            self.displace(id, info, first, (at, request), item, zone)?;
        }
        self.answered_here.insert(key, (self.answers.len(), digest));
        Ok(Ok((answer, self.judged.screening.id)))
    }

    /// Moves a ticket's admission to an offline scan made before it (`at`, at `request`'s door),
    /// and logs the admission it displaces as the conflict it turns out to be: a second use of
    /// the ticket, at its door and time, by the devices' clocks. The admitted count stays.
    fn displace(
        &mut self,
        id: TicketId,
        ticket: Option<TicketInfo>,
        (first_at, first_door): (NaiveDateTime, String),
        (at, request): (NaiveDateTime, &ScanRequest),
        item: &Scan,
        zone: chrono_tz::Tz,
    ) -> Result<(), AppError> {
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
        let mut answer = ScanAnswer {
            verdict: Verdict::AlreadyAdmitted,
            message: msg!(
                "door-scanned-after-another-door",
                door = &first_door,
                time = format::time_of_day(first_at, zone),
                first_door = &request.door,
                first_time = format::time_of_day(at, zone)
            )
            .to_string(),
            scan_id: scan_id.clone(),
            ticket,
            screening: Some(ScreeningInfo::new(&self.judged)),
            ticket_screening: None,
            first_admitted_at: Some(format::rfc3339(at, zone)),
            first_admitted_door: Some(request.door.clone()),
            admitted: 0,
            capacity: 0,
            replayed: false,
            conflict: true,
        };
        let row = self.chain.append(
            LogEntry {
                id: &scan_id,
                kind: ScanKind::Scan,
                ticket_id: Some(id.to_string()),
                scanned: &request.code,
                door: &first_door,
                staff: &item.staff,
                nonce: &format!("reordered-{scan_id}"),
                request_digest: None,
                client_time: Some(first_at),
                now: self.now,
            },
            0,
            &mut answer,
        )?;
        self.rows.push(row);
        Ok(())
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
