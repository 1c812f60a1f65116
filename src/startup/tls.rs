//! HTTPS served by Marquee itself: the certificate in use, swapped without dropping a
//! connection when its files change (or on SIGHUP), or when ACME renews it.
//!
//! The TLS configuration asks [`Certificate`] for the certificate at each handshake; a new one
//! is used by the next handshakes, and connections already open carry on with theirs.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

use anyhow::Context;
use rustls::crypto::CryptoProvider;
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

/// The certificate served now; none until the first is loaded (a handshake then fails, which a
/// browser shows as a connection error, not as a page).
#[derive(Debug, Default)]
pub struct Certificate {
    current: RwLock<Option<Arc<CertifiedKey>>>,
}

impl Certificate {
    /// Serves `key` from the next handshake on.
    pub fn set(&self, key: CertifiedKey) {
        *self
            .current
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(Arc::new(key));
    }

    pub fn is_set(&self) -> bool {
        self.current
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .is_some()
    }
}

impl ResolvesServerCert for Certificate {
    fn resolve(&self, _hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        self.current
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }
}

/// The crypto Marquee's TLS uses (aws-lc-rs: post-quantum key exchange first), named rather than
/// left to the process default.
pub fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::aws_lc_rs::default_provider())
}

/// The TLS configuration of the HTTPS listener: TLS 1.2 and 1.3, the certificate asked of
/// `certificate` at each handshake (actix-web adds HTTP/2 and HTTP/1.1 to ALPN).
pub fn server_config(certificate: Arc<Certificate>) -> anyhow::Result<rustls::ServerConfig> {
    Ok(rustls::ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .context("cannot set up TLS")?
        .with_no_client_auth()
        .with_cert_resolver(certificate))
}

/// A certificate chain and its private key, from PEM text.
pub fn certified_key(chain_pem: &[u8], key_pem: &[u8]) -> anyhow::Result<CertifiedKey> {
    let chain = CertificateDer::pem_slice_iter(chain_pem)
        .collect::<Result<Vec<_>, _>>()
        .context("the certificate file is not PEM")?;
    if chain.is_empty() {
        anyhow::bail!("the certificate file holds no certificate");
    }
    let key = PrivateKeyDer::from_pem_slice(key_pem)
        .context("the key file holds no private key (PEM: PKCS#8, PKCS#1 or SEC1)")?;
    let key = CertifiedKey::from_der(chain, key, &provider())
        .context("the key does not match the certificate")?;
    Ok(key)
}

/// Reads a certificate chain and key from PEM files.
pub fn load_files(cert: &Path, key: &Path) -> anyhow::Result<CertifiedKey> {
    let chain = std::fs::read(cert).with_context(|| format!("cannot read {}", cert.display()))?;
    let secret = std::fs::read(key).with_context(|| format!("cannot read {}", key.display()))?;
    certified_key(&chain, &secret)
        .with_context(|| format!("{} and {}", cert.display(), key.display()))
}

/// How often the files are looked at for a change.
const LOOK_EVERY: Duration = Duration::from_secs(5);

/// Reads the files again whenever one of them changes (looked at every few seconds) and on
/// SIGHUP; a change that does not load (a half-written file, a key that does not match) is
/// logged and the certificate in use stays.
pub fn watch_files(certificate: Arc<Certificate>, cert: PathBuf, key: PathBuf) {
    let modified = |path: &Path| std::fs::metadata(path).and_then(|m| m.modified()).ok();
    let stamp = move |cert: &Path, key: &Path| (modified(cert), modified(key));
    tokio::spawn(async move {
        let mut seen: (Option<SystemTime>, Option<SystemTime>) = stamp(&cert, &key);
        let mut hangup = hangups();
        let mut ticks = tokio::time::interval(LOOK_EVERY);
        loop {
            let asked = tokio::select! {
                _ = ticks.tick() => false,
                () = next_hangup(&mut hangup) => true,
            };
            let now = stamp(&cert, &key);
            if !asked && now == seen {
                continue;
            }
            seen = now;
            match load_files(&cert, &key) {
                Ok(loaded) => {
                    certificate.set(loaded);
                    tracing::info!(file = %cert.display(), "certificate loaded again");
                }
                Err(error) => {
                    tracing::warn!(
                        error = format!("{error:#}"),
                        "the new certificate does not load; the one in use stays"
                    );
                }
            }
        }
    });
}

/// SIGHUP, when the platform has it.
fn hangups() -> Option<tokio::signal::unix::Signal> {
    tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup())
        .inspect_err(|error| tracing::warn!(%error, "SIGHUP cannot be listened to"))
        .ok()
}

async fn next_hangup(hangup: &mut Option<tokio::signal::unix::Signal>) {
    match hangup {
        Some(signal) => {
            signal.recv().await;
        }
        None => std::future::pending().await,
    }
}
