//! Random credentials and how they are stored.
//!
//! Credentials (staff tokens, booking manage tokens, session cookies) are 256 random bits, shown
//! once, and stored as their SHA-256. A fast hash is enough: the input is random and as long as the
//! hash, so there is nothing to brute-force; a slow password hash would only slow every request.

use data_encoding::{BASE64URL_NOPAD, HEXLOWER};
use sha2::{Digest, Sha256};

/// Fills a buffer from the operating system's CSPRNG.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    // The OS RNG failing is unrecoverable: there is no safe way to issue credentials without it.
    getrandom::fill(&mut bytes).expect("the operating system's random number generator failed");
    bytes
}

/// A new random credential: 32 bytes, URL-safe base64 (43 characters).
pub fn new_token() -> String {
    BASE64URL_NOPAD.encode(&random_bytes::<32>())
}

/// What is stored for a credential: its SHA-256 in hex.
pub fn hash_token(token: &str) -> String {
    HEXLOWER.encode(&Sha256::digest(token.trim().as_bytes()))
}

/// Whether two secrets (tokens, their hashes, signed codes) are equal, compared in constant time:
/// how long the comparison takes says nothing about where they differ.
pub fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}

/// Whether a string has the shape of a token we issued (cheap check before any database lookup).
pub fn looks_like_token(token: &str) -> bool {
    token.len() == 43
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hashed() {
        let a = new_token();
        let b = new_token();
        assert_ne!(a, b);
        assert!(looks_like_token(&a));
        assert_eq!(hash_token(&a), hash_token(&a));
        assert_ne!(hash_token(&a), hash_token(&b));
        assert_eq!(hash_token(&a).len(), 64);
        assert!(!looks_like_token("short"));
        assert!(!looks_like_token(&format!("{}!", &a[..42])));
        assert!(same(a.as_bytes(), a.clone().as_bytes()));
        assert!(!same(a.as_bytes(), b.as_bytes()));
        assert!(!same(a.as_bytes(), &a.as_bytes()[..42]));
    }
}
