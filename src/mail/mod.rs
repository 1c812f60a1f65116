//! Outgoing mail: every booking and invitation mails its holder the tickets (inline QR codes, a
//! PDF with one ticket per page, a calendar event) and a manage link; cancellations, changes of a
//! screening's time or place, and "find my tickets" requests are mailed too.
//!
//! A write records the message in the [outbox](crate::db::outbox) in its own transaction; the
//! [`sender`] delivers it afterwards, with retries, through SMTP (`MARQUEE_SMTP_URL`) or — the
//! embedded default, and the demo's — as `.eml` files in `MARQUEE_MAIL_DIR`, so a newcomer sees
//! exactly what would have been sent. The sender never runs inside a booking's transaction or the
//! writer: mail can be slow or down without slowing or failing a booking.

pub mod compose;
pub mod ics;
pub mod pages;
pub mod pdf;
pub mod sender;

use std::os::unix::fs::DirBuilderExt;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use lettre::message::Mailbox;
use lettre::{FileTransport, Message, SmtpTransport, Transport as _};

use crate::config::MailSettings;

/// Where messages go.
pub enum Transport {
    Smtp(Box<SmtpTransport>),
    Files { dir: PathBuf, files: FileTransport },
}

impl Transport {
    /// The transport the settings name; an unusable setting is an error naming it.
    pub fn from_settings(settings: &MailSettings) -> anyhow::Result<Transport> {
        match &settings.smtp_url {
            Some(url) => {
                let transport = SmtpTransport::from_url(url.expose())
                    .context("MARQUEE_SMTP_URL is not a usable SMTP URL (smtp://host:port or smtps://host:port)")?
                    .timeout(Some(Duration::from_secs(20)))
                    .build();
                Ok(Transport::Smtp(Box::new(transport)))
            }
            None => {
                // Owner-only: each message holds a person's name and a live manage link.
                std::fs::DirBuilder::new()
                    .recursive(true)
                    .mode(0o700)
                    .create(&settings.dir)
                    .with_context(|| {
                        format!(
                            "MARQUEE_MAIL_DIR: cannot create the mail folder {}",
                            settings.dir.display()
                        )
                    })?;
                Ok(Transport::Files {
                    dir: settings.dir.clone(),
                    files: FileTransport::new(&settings.dir),
                })
            }
        }
    }

    /// Sends one message; for files, returns the file written.
    pub fn send(&self, message: &Message) -> Result<Option<String>, String> {
        match self {
            Transport::Smtp(smtp) => smtp.send(message).map(|_| None).map_err(|e| e.to_string()),
            Transport::Files { dir, files } => files
                .send(message)
                .map(|id| Some(dir.join(format!("{id}.eml")).display().to_string()))
                .map_err(|e| e.to_string()),
        }
    }
}

/// Parses the sender setting.
pub fn sender_mailbox(from: &str) -> anyhow::Result<Mailbox> {
    from.parse()
        .with_context(|| format!("MARQUEE_MAIL_FROM must be an address like 'Festival <tickets@example.org>', not {from:?}"))
}
