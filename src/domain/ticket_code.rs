//! Signed ticket codes: what a ticket's QR code carries, and how a door checks it.
//!
//! Layout (all QR alphanumeric-mode characters, so the QR code stays small):
//!
//! ```text
//! 1 KKKK BBBB…BBBB
//! │ │    └ base32 (RFC 4648, no padding) of: ticket id (16) ‖ screening id (16) ‖ Ed25519 signature (64)
//! │ └ key id: 4 base32 characters naming the signing key, so keys can rotate
//! └ format version
//! ```
//!
//! 159 characters in all: a version 7 QR code at error-correction level M. The signature covers a
//! domain-separation prefix, the version, the key id and both ids, so no part can be swapped.
//! Anyone holding the public key (served at `/api/v1/keys`) can verify a code without the database.
//!
//! A festival pass has a code of the same layout and length, recognisably a pass: its first
//! character is `P` (for [`PASS_VERSION`]), its ids are the pass's and its festival's, and its
//! signature covers another domain-separation prefix, so no ticket's signature can ever be passed
//! off as a pass's or the other way round.

use std::collections::HashMap;

use data_encoding::BASE32_NOPAD;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use uuid::Uuid;

use super::ids::{FestivalId, PassId, ScreeningId, TicketId};

/// The current format version, the code's first character.
pub const VERSION: char = '1';
/// The first character of a festival pass's code.
pub const PASS_VERSION: char = 'P';
const KEY_ID_LEN: usize = 4;
const PAYLOAD_LEN: usize = 16 + 16 + 64;
/// Length of every version-1 code.
pub const CODE_LEN: usize = 1 + KEY_ID_LEN + (PAYLOAD_LEN * 8).div_ceil(5);
const DOMAIN: &[u8] = b"marquee-ticket:";
const PASS_DOMAIN: &[u8] = b"marquee-pass:";

/// What a code is for, from its first character: each has its own signed message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Ticket,
    Pass,
}

impl Kind {
    fn version(self) -> char {
        match self {
            Kind::Ticket => VERSION,
            Kind::Pass => PASS_VERSION,
        }
    }

    fn domain(self) -> &'static [u8] {
        match self {
            Kind::Ticket => DOMAIN,
            Kind::Pass => PASS_DOMAIN,
        }
    }
}

/// What a valid code says: which ticket, for which screening, signed by which key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TicketClaims {
    pub ticket: TicketId,
    pub screening: ScreeningId,
}

/// A well-formed code naming a key this server knows, as read before its signature is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Presented {
    pub claims: TicketClaims,
    /// The code itself, without whitespace and in upper case: as issued, if it is genuine.
    pub code: String,
    signature: [u8; 64],
}

impl Presented {
    /// Whether this is exactly the code stored with the ticket it names, compared in constant
    /// time. The stored code was signed when the ticket was issued, so an equal code is the
    /// genuine one without checking the signature again.
    pub fn is_issued(&self, stored: &str) -> bool {
        super::secret::same(self.code.as_bytes(), stored.as_bytes())
    }
}

/// A well-formed festival pass's code naming a key this server knows, as read before its
/// signature is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresentedPass {
    pub pass: PassId,
    pub festival: FestivalId,
    /// The code itself, without whitespace and in upper case.
    pub code: String,
    signature: [u8; 64],
}

impl PresentedPass {
    /// Whether this is exactly the code stored with the pass it names (constant time).
    pub fn is_issued(&self, stored: &str) -> bool {
        super::secret::same(self.code.as_bytes(), stored.as_bytes())
    }
}

/// Why a code was refused. All of them mean "not a ticket we issued".
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("not a Marquee ticket code")]
    Format,
    /// The start of a genuine-looking code, cut short (a scanner that lost the end of a read).
    #[error("incomplete read — scan again")]
    Incomplete,
    #[error("signed with a key this server does not know")]
    UnknownKey,
    #[error("the signature does not match")]
    Signature,
}

/// A signing key with its id. Held only by the server.
pub struct TicketSigner {
    key_id: String,
    key: SigningKey,
}

impl TicketSigner {
    /// A new random key with a new random id.
    pub fn generate() -> TicketSigner {
        let seed = super::secret::random_bytes::<32>();
        let id_bytes = super::secret::random_bytes::<3>();
        let key_id = BASE32_NOPAD.encode(&id_bytes)[..KEY_ID_LEN].to_owned();
        TicketSigner {
            key_id,
            key: SigningKey::from_bytes(&seed),
        }
    }

    /// Rebuilds a stored key. `None` if the id or seed is malformed.
    pub fn from_parts(key_id: &str, seed: &[u8]) -> Option<TicketSigner> {
        let seed: [u8; 32] = seed.try_into().ok()?;
        valid_key_id(key_id).then(|| TicketSigner {
            key_id: key_id.to_owned(),
            key: SigningKey::from_bytes(&seed),
        })
    }

    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// The 32-byte secret seed, for storage only.
    pub fn seed(&self) -> [u8; 32] {
        self.key.to_bytes()
    }

    pub fn public_key(&self) -> VerifyingKey {
        self.key.verifying_key()
    }

    /// The code for one ticket of one screening.
    pub fn sign(&self, ticket: TicketId, screening: ScreeningId) -> String {
        self.sign_as(Kind::Ticket, ticket.0, screening.0)
    }

    /// The code of one festival pass.
    pub fn sign_pass(&self, pass: PassId, festival: FestivalId) -> String {
        self.sign_as(Kind::Pass, pass.0, festival.0)
    }

    fn sign_as(&self, kind: Kind, id: Uuid, scope: Uuid) -> String {
        let signature = self.key.sign(&message(kind, &self.key_id, id, scope));
        let mut payload = Vec::with_capacity(PAYLOAD_LEN);
        payload.extend_from_slice(id.as_bytes());
        payload.extend_from_slice(scope.as_bytes());
        payload.extend_from_slice(&signature.to_bytes());
        let mut code = String::with_capacity(CODE_LEN);
        code.push(kind.version());
        code.push_str(&self.key_id);
        code.push_str(&BASE32_NOPAD.encode(&payload));
        code
    }
}

/// The public keys a door trusts, by key id.
#[derive(Debug, Clone, Default)]
pub struct TicketVerifier {
    keys: HashMap<String, VerifyingKey>,
}

impl TicketVerifier {
    pub fn new() -> TicketVerifier {
        TicketVerifier::default()
    }

    pub fn add(&mut self, key_id: &str, key: VerifyingKey) {
        self.keys.insert(key_id.to_owned(), key);
    }

    /// Checks a scanned code. Scanners may add whitespace (anywhere) or change case; both are
    /// tolerated. A code cut short is told apart from one that is not a code at all.
    pub fn verify(&self, scanned: &str) -> Result<TicketClaims, CodeError> {
        let presented = self.read(scanned)?;
        self.check_signature(&presented)?;
        Ok(presented.claims)
    }

    /// Checks the signature of a code [`TicketVerifier::read`] accepted.
    pub fn check_signature(&self, presented: &Presented) -> Result<(), CodeError> {
        let claims = presented.claims;
        self.check(
            Kind::Ticket,
            &presented.code,
            (claims.ticket.0, claims.screening.0),
            &presented.signature,
        )
    }

    /// Checks the signature of a pass's code [`TicketVerifier::read_pass`] accepted.
    pub fn check_pass_signature(&self, presented: &PresentedPass) -> Result<(), CodeError> {
        self.check(
            Kind::Pass,
            &presented.code,
            (presented.pass.0, presented.festival.0),
            &presented.signature,
        )
    }

    fn check(
        &self,
        kind: Kind,
        code: &str,
        (id, scope): (Uuid, Uuid),
        signature: &[u8; 64],
    ) -> Result<(), CodeError> {
        let key_id = &code[1..1 + KEY_ID_LEN];
        let key = self.keys.get(key_id).ok_or(CodeError::UnknownKey)?;
        key.verify_strict(
            &message(kind, key_id, id, scope),
            &Signature::from_bytes(signature),
        )
        .map_err(|_| CodeError::Signature)
    }

    /// Whether a scanned text is laid out as a pass's code (its first character), before any
    /// other check: a door sends it to [`TicketVerifier::read_pass`] instead.
    pub fn looks_like_pass(scanned: &str) -> bool {
        scanned
            .trim_start()
            .chars()
            .next()
            .is_some_and(|c| c.eq_ignore_ascii_case(&PASS_VERSION))
    }

    /// [`TicketVerifier::read`] for a festival pass's code.
    pub fn read_pass(&self, scanned: &str) -> Result<PresentedPass, CodeError> {
        let (code, pass, festival, signature) = self.read_as(Kind::Pass, scanned)?;
        Ok(PresentedPass {
            pass: PassId(pass),
            festival: FestivalId(festival),
            code,
            signature,
        })
    }

    /// Every check of [`TicketVerifier::verify`] but the signature's (the costly one): the
    /// layout, and that the key is one this server knows.
    pub fn read(&self, scanned: &str) -> Result<Presented, CodeError> {
        let (code, ticket, screening, signature) = self.read_as(Kind::Ticket, scanned)?;
        Ok(Presented {
            claims: TicketClaims {
                ticket: TicketId(ticket),
                screening: ScreeningId(screening),
            },
            code,
            signature,
        })
    }

    /// Reads a code of `kind`: (the code as read, its two ids, its signature).
    fn read_as(
        &self,
        kind: Kind,
        scanned: &str,
    ) -> Result<(String, Uuid, Uuid, [u8; 64]), CodeError> {
        let code: String = scanned
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_uppercase();
        if !code.is_ascii() || !code.starts_with(kind.version()) {
            return Err(CodeError::Format);
        }
        if code.len() < CODE_LEN
            && code.len() > 1 + KEY_ID_LEN
            && valid_key_id(&code[1..1 + KEY_ID_LEN])
            && code[1 + KEY_ID_LEN..]
                .bytes()
                .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b))
        {
            return Err(CodeError::Incomplete);
        }
        if code.len() != CODE_LEN {
            return Err(CodeError::Format);
        }
        let key_id = &code[1..1 + KEY_ID_LEN];
        if !valid_key_id(key_id) {
            return Err(CodeError::Format);
        }
        let payload = BASE32_NOPAD
            .decode(&code.as_bytes()[1 + KEY_ID_LEN..])
            .map_err(|_| CodeError::Format)?;
        if payload.len() != PAYLOAD_LEN {
            return Err(CodeError::Format);
        }
        let id = Uuid::from_slice(&payload[..16]).map_err(|_| CodeError::Format)?;
        let scope = Uuid::from_slice(&payload[16..32]).map_err(|_| CodeError::Format)?;
        let signature: [u8; 64] = payload[32..].try_into().map_err(|_| CodeError::Format)?;
        if !self.keys.contains_key(key_id) {
            return Err(CodeError::UnknownKey);
        }
        Ok((code, id, scope, signature))
    }
}

fn valid_key_id(key_id: &str) -> bool {
    key_id.len() == KEY_ID_LEN
        && key_id
            .bytes()
            .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b))
}

fn message(kind: Kind, key_id: &str, id: Uuid, scope: Uuid) -> Vec<u8> {
    let domain = kind.domain();
    let mut message = Vec::with_capacity(domain.len() + 1 + KEY_ID_LEN + 32);
    message.extend_from_slice(domain);
    message.push(kind.version() as u8);
    message.extend_from_slice(key_id.as_bytes());
    message.extend_from_slice(id.as_bytes());
    message.extend_from_slice(scope.as_bytes());
    message
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn setup() -> (TicketSigner, TicketVerifier) {
        let signer = TicketSigner::generate();
        let mut verifier = TicketVerifier::new();
        verifier.add(signer.key_id(), signer.public_key());
        (signer, verifier)
    }

    #[test]
    fn a_pass_code_is_recognisably_a_pass_and_never_a_ticket() {
        let (signer, verifier) = setup();
        let (pass, festival) = (PassId::new(), FestivalId::new());
        let code = signer.sign_pass(pass, festival);
        assert_eq!(code.len(), CODE_LEN);
        assert!(code.starts_with(PASS_VERSION));
        assert!(TicketVerifier::looks_like_pass(&format!(
            " {}",
            code.to_lowercase()
        )));
        let presented = verifier.read_pass(&code).unwrap();
        assert_eq!((presented.pass, presented.festival), (pass, festival));
        assert!(presented.is_issued(&code));
        assert_eq!(verifier.check_pass_signature(&presented), Ok(()));
        assert_eq!(verifier.read(&code), Err(CodeError::Format));
        // A ticket's signature under a pass's first character: laid out as a pass, not signed as one.
        let ticket = signer.sign(TicketId(pass.0), ScreeningId(festival.0));
        assert!(!TicketVerifier::looks_like_pass(&ticket));
        let forged = format!("{PASS_VERSION}{}", &ticket[1..]);
        let read = verifier.read_pass(&forged).unwrap();
        assert_eq!(
            verifier.check_pass_signature(&read),
            Err(CodeError::Signature)
        );
        assert_eq!(verifier.read_pass(&ticket), Err(CodeError::Format));
    }

    #[test]
    fn a_signed_code_verifies_to_its_ticket_and_screening() {
        let (signer, verifier) = setup();
        let (ticket, screening) = (TicketId::new(), ScreeningId::new());
        let code = signer.sign(ticket, screening);
        assert_eq!(code.len(), CODE_LEN);
        assert_eq!(CODE_LEN, 159);
        let claims = verifier.verify(&code).unwrap();
        assert_eq!(claims, TicketClaims { ticket, screening });
        // What a keyboard-wedge scanner may add or change.
        assert!(
            verifier
                .verify(&format!(" {}\n", code.to_lowercase()))
                .is_ok()
        );
    }

    #[test]
    fn a_read_code_is_the_issued_one_only_when_it_equals_it() {
        let (signer, verifier) = setup();
        let code = signer.sign(TicketId::new(), ScreeningId::new());
        let read = verifier
            .read(&format!(" {}\n", code.to_lowercase()))
            .unwrap();
        assert!(read.is_issued(&code));
        assert_eq!(verifier.check_signature(&read), Ok(()));
        // One character of the signature changed: well formed, not the issued code, not signed.
        let mut forged = code.clone().into_bytes();
        forged[100] = if forged[100] == b'A' { b'B' } else { b'A' };
        let forged = verifier
            .read(std::str::from_utf8(&forged).unwrap())
            .unwrap();
        assert_eq!(forged.claims, read.claims);
        assert!(!forged.is_issued(&code));
        assert_eq!(verifier.check_signature(&forged), Err(CodeError::Signature));
        assert!(!read.is_issued(&code[..CODE_LEN - 1]));
    }

    #[test]
    fn spaces_inside_a_code_are_ignored_and_a_cut_read_is_called_incomplete() {
        let (signer, verifier) = setup();
        let code = signer.sign(TicketId::new(), ScreeningId::new());
        let spaced = format!("{} {}\t{}", &code[..20], &code[20..90], &code[90..]);
        assert!(verifier.verify(&spaced).is_ok());
        for cut in [10, 80, CODE_LEN - 1] {
            assert_eq!(
                verifier.verify(&code[..cut]),
                Err(CodeError::Incomplete),
                "{cut}"
            );
        }
        assert_eq!(verifier.verify("1"), Err(CodeError::Format));
        assert_eq!(verifier.verify("HELLO WORLD"), Err(CodeError::Format));
        assert_eq!(verifier.verify(&format!("{code}A")), Err(CodeError::Format));
    }

    #[test]
    fn a_code_fits_a_version_7_qr_code_at_level_m() {
        let (signer, _) = setup();
        let code = signer.sign(TicketId::new(), ScreeningId::new());
        let qr = qrcode::QrCode::with_error_correction_level(&code, qrcode::EcLevel::M).unwrap();
        assert_eq!(qr.version(), qrcode::Version::Normal(7));
    }

    #[test]
    fn a_code_signed_by_another_key_is_refused() {
        let (_, verifier) = setup();
        let foreign = TicketSigner::generate();
        let code = foreign.sign(TicketId::new(), ScreeningId::new());
        assert_eq!(verifier.verify(&code), Err(CodeError::UnknownKey));
        // Same key id, different key: a forger who copied the id.
        let impostor =
            TicketSigner::from_parts(setup_id(&verifier), &TicketSigner::generate().seed())
                .unwrap();
        let code = impostor.sign(TicketId::new(), ScreeningId::new());
        assert_eq!(verifier.verify(&code), Err(CodeError::Signature));
    }

    fn setup_id(verifier: &TicketVerifier) -> &str {
        verifier.keys.keys().next().unwrap()
    }

    #[test]
    fn garbage_is_refused_as_format() {
        let (_, verifier) = setup();
        // A code-length string whose multi-byte characters straddle the key id's boundaries.
        let straddling = format!("1é{}", "A".repeat(CODE_LEN - 3));
        assert_eq!(straddling.len(), CODE_LEN);
        for junk in [
            "",
            "1",
            "hello",
            "2AAAA",
            &"1".repeat(CODE_LEN),
            "ÉÉÉ",
            &straddling,
        ] {
            assert!(verifier.verify(junk).is_err(), "{junk:?}");
        }
    }

    proptest! {
        #[test]
        fn any_altered_character_is_refused(position in 0usize..CODE_LEN, replacement in "[A-Z2-7]") {
            let (signer, verifier) = setup();
            let code = signer.sign(TicketId::new(), ScreeningId::new());
            let mut altered: Vec<char> = code.chars().collect();
            let new = replacement.chars().next().unwrap();
            prop_assume!(altered[position] != new);
            altered[position] = new;
            let altered: String = altered.into_iter().collect();
            prop_assert!(verifier.verify(&altered).is_err());
        }

        #[test]
        fn any_truncation_is_refused(keep in 0usize..CODE_LEN) {
            let (signer, verifier) = setup();
            let code = signer.sign(TicketId::new(), ScreeningId::new());
            let expected = if keep > 1 + KEY_ID_LEN {
                CodeError::Incomplete
            } else {
                CodeError::Format
            };
            prop_assert_eq!(verifier.verify(&code[..keep]), Err(expected));
        }

        #[test]
        fn arbitrary_text_never_panics(text in ".{0,300}") {
            let (_, verifier) = setup();
            let _ = verifier.verify(&text);
        }
    }
}
