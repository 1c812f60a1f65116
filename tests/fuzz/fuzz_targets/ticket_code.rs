//! The ticket-code verifier against anything a scanner could type.
//!
//! Two properties, whatever the input:
//! - nothing panics;
//! - a code verifies only if it is, up to the case and surrounding whitespace a scanner may
//!   change, exactly the code Marquee signed for the ticket and screening it claims: no
//!   mutation of a genuine code, and no made-up text, is ever accepted.
//!
//! Half the inputs are raw text; the other half start from a genuine code and flip bytes in it,
//! so the fuzzer spends its time right next to valid codes, where forgeries would hide.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use marquee::domain::ticket_code::{TicketSigner, TicketVerifier};
use marquee::domain::{ScreeningId, TicketId};

struct Keys {
    signer: TicketSigner,
    verifier: TicketVerifier,
}

static KEYS: LazyLock<Keys> = LazyLock::new(|| {
    let signer = TicketSigner::from_parts("FUZZ", &[7; 32]).expect("a valid fixed key");
    let mut verifier = TicketVerifier::new();
    verifier.add(signer.key_id(), signer.public_key());
    // A second trusted key, so "signed by another trusted key" is a path too.
    let other = TicketSigner::from_parts("ZZZZ", &[9; 32]).expect("a valid fixed key");
    verifier.add(other.key_id(), other.public_key());
    Keys { signer, verifier }
});

#[derive(Debug, Arbitrary)]
enum Input<'a> {
    Raw(&'a str),
    Mutated {
        ticket: [u8; 16],
        screening: [u8; 16],
        edits: Vec<(u8, u8)>,
        lowercase: bool,
    },
}

fn check(scanned: &str) {
    let keys = &*KEYS;
    if let Ok(claims) = keys.verifier.verify(scanned) {
        let genuine = keys.signer.sign(claims.ticket, claims.screening);
        assert_eq!(
            scanned.trim().to_ascii_uppercase(),
            genuine,
            "accepted a code Marquee did not sign"
        );
    }
}

fuzz_target!(|input: Input<'_>| match input {
    Input::Raw(text) => check(text),
    Input::Mutated {
        ticket,
        screening,
        edits,
        lowercase,
    } => {
        let ticket = TicketId(uuid::Uuid::from_bytes(ticket));
        let screening = ScreeningId(uuid::Uuid::from_bytes(screening));
        let genuine = KEYS.signer.sign(ticket, screening);
        let mut bytes = genuine.clone().into_bytes();
        for (position, value) in edits {
            let at = usize::from(position) % bytes.len();
            bytes[at] = value;
        }
        let Ok(mut text) = String::from_utf8(bytes) else {
            return;
        };
        if lowercase {
            text = text.to_lowercase();
        }
        let verdict = KEYS.verifier.verify(&text);
        let unchanged = text.trim().eq_ignore_ascii_case(&genuine);
        assert_eq!(
            verdict.is_ok(),
            unchanged,
            "verdict {verdict:?} for {text:?}"
        );
        check(&text);
    }
});
