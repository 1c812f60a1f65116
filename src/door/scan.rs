//! A scan as the writer receives it: routed on the HTTP worker (its screening, its code read),
//! with who made it, how, and in which language it is answered.

use std::sync::Arc;

use super::answer::ScanAnswer;
use super::request::{Mode, ScanRequest};
use super::routing::Route;
use crate::db::Lock;
use crate::domain::ScreeningId;
use crate::domain::ticket_code::TicketVerifier;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::staff::StaffMember;

/// A scan's answer, and the screening whose counter it is about.
pub type Scanned = Result<(ScanAnswer, ScreeningId), AppError>;

/// A routed scan, queued for the writer.
#[derive(Clone)]
pub struct Scan {
    pub(super) staff: StaffMember,
    pub(super) request: ScanRequest,
    pub(super) route: Route,
    pub(super) mode: Mode,
    pub(super) verifier: Arc<TicketVerifier>,
    /// The language of the request: the answer is put into its words.
    pub(super) lang: Lang,
    pub(super) lock: Lock,
    /// For a festival pass refused before any seat is looked at: why (`super::pass_scan`).
    pub(super) pass_refusal: Option<super::answer::Reason>,
}

impl Scan {
    pub fn new(
        staff: StaffMember,
        request: ScanRequest,
        route: Route,
        mode: Mode,
        verifier: Arc<TicketVerifier>,
    ) -> Scan {
        Scan {
            lock: Lock::Screening(route.judged.screening.id),
            staff,
            request,
            route,
            mode,
            verifier,
            lang: crate::i18n::current(),
            pass_refusal: None,
        }
    }
}
