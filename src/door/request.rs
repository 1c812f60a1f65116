//! What a scan asks: the body a door device sends, checked into a scan request, and how the
//! scan reached the server.

use chrono::{NaiveDateTime, SubsecRound};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::domain::{InputError, ScreeningId, VenueId, input};

/// What the door admits for: one screening, or "whatever is open now" at a venue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Screening(ScreeningId),
    Venue(VenueId),
}

/// A checked scan request.
#[derive(Debug, Clone)]
pub struct ScanRequest {
    pub code: String,
    pub target: Target,
    pub door: String,
    pub nonce: String,
    pub client_time: Option<NaiveDateTime>,
}

/// The body of `POST /api/v1/scans`, as sent by a door device.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScanInput {
    #[schema(max_length = 1024, example = "1ABCD...")]
    pub code: String,
    #[schema(format = Uuid)]
    pub screening_id: Option<String>,
    #[schema(format = Uuid)]
    pub venue_id: Option<String>,
    #[schema(min_length = 1, max_length = 60, example = "Door A")]
    pub door: String,
    /// A fresh value per scan, chosen by the device (a UUID). Sent again with the same `code`
    /// and target, it returns the original answer (`replayed: true`) instead of scanning again;
    /// sent by the same staff member with another `code` or target, it is refused with
    /// `409 nonce_reused` and nothing is admitted.
    #[schema(min_length = 1, max_length = 100)]
    pub nonce: String,
    /// When the device scanned, RFC 3339 (kept in the log next to the server's time).
    #[schema(format = DateTime)]
    pub scanned_at: Option<String>,
}

/// The longest scanned text accepted: a code is 159 characters; anything much longer is not one.
const MAX_SCANNED_LEN: usize = 1024;

/// How far from the server's clock a scan's own time may be: a device offline for up to a week
/// (a festival's length), a few minutes ahead (clocks drift). The same for online and synced scans.
pub const SCANNED_AT_PAST: chrono::Duration = chrono::Duration::days(7);
pub const SCANNED_AT_AHEAD: chrono::Duration = chrono::Duration::minutes(5);

impl ScanInput {
    /// Checks every field; `now` bounds `scanned_at` (see [`SCANNED_AT_PAST`]).
    pub fn parse(self, now: NaiveDateTime) -> Result<ScanRequest, InputError> {
        let target = match (&self.screening_id, &self.venue_id) {
            (Some(s), None) => {
                Target::Screening(crate::catalogue::input::id_field("screening_id", s)?)
            }
            (None, Some(v)) => Target::Venue(crate::catalogue::input::id_field("venue_id", v)?),
            _ => {
                return Err(InputError::new(
                    "screening_id",
                    crate::msg!("error-scan-target"),
                ));
            }
        };
        if self
            .code
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\t' | '\r' | '\n'))
        {
            return Err(InputError::new(
                "code",
                crate::msg!("error-control-characters", field = "code"),
            ));
        }
        if self.code.len() > MAX_SCANNED_LEN {
            return Err(InputError::new(
                "code",
                crate::msg!("error-too-long", field = "code", max = MAX_SCANNED_LEN),
            ));
        }
        let nonce = input::text("nonce", &self.nonce, 100)?;
        let client_time = self
            .scanned_at
            .as_deref()
            .map(|t| {
                chrono::DateTime::parse_from_rfc3339(t)
                    .map(|t| t.naive_utc().trunc_subsecs(6))
                    .map_err(|_| InputError::new("scanned_at", crate::msg!("error-scanned-at")))
            })
            .transpose()?;
        if let Some(at) = client_time
            && (at > now + SCANNED_AT_AHEAD || at < now - SCANNED_AT_PAST)
        {
            return Err(InputError::new(
                "scanned_at",
                crate::msg!("error-scanned-at-window"),
            ));
        }
        Ok(ScanRequest {
            code: self.code,
            target,
            door: input::door_name(&self.door)?,
            nonce,
            client_time,
        })
    }
}

/// How a scan reached the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Decided here, as it arrives.
    Online,
    /// Decided by a door device without the network, at `scanned_at`, and uploaded later;
    /// `verdict` is what the device answered.
    Offline {
        scanned_at: NaiveDateTime,
        verdict: crate::domain::Verdict,
    },
}

impl Mode {
    /// Whether a device without the network let the person in.
    pub(super) fn admitted_offline(self) -> bool {
        matches!(
            self,
            Mode::Offline {
                verdict: crate::domain::Verdict::Admitted,
                ..
            }
        )
    }
}

/// What a scan asked for, as stored with it: a nonce used again must ask for the same thing.
/// Whitespace and case do not count (scanners add spaces; the code is upper-case base32).
pub(super) fn request_digest(request: &ScanRequest) -> String {
    let code: String = request
        .code
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect();
    let target = match request.target {
        Target::Screening(id) => format!("screening:{id}"),
        Target::Venue(id) => format!("venue:{id}"),
    };
    let mut hasher = Sha256::new();
    hasher.update(code.as_bytes());
    hasher.update(b"\n");
    hasher.update(target.as_bytes());
    data_encoding::HEXLOWER.encode(&hasher.finalize())
}
