//! Tickets: the signing keys, the signed codes, their QR images.

pub mod keys;
pub mod qr;
