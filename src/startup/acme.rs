//! Certificates over ACME (RFC 8555; Let's Encrypt by default), with the HTTP-01 challenge: the
//! certificate authority fetches `http://<domain>/.well-known/acme-challenge/<token>` from the
//! plain-HTTP listener ([`Challenges`]), which proves the domain points here.
//!
//! The account, the certificate and its key are kept in `MARQUEE_ACME_DIR` (owner-only files),
//! so a restart serves the kept certificate at once and asks for a new one only when it is due:
//! when it expires within `MARQUEE_ACME_RENEW_DAYS`, or no longer names every domain.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use anyhow::{Context, bail};
use instant_acme::{
    Account, AccountCredentials, AuthorizationStatus, ChallengeType, Identifier, NewAccount,
    NewOrder, OrderStatus, RetryPolicy,
};

use super::tls::{Certificate, certified_key};
use crate::config::AcmeSettings;

/// The answers to the challenges in progress: token → key authorization.
#[derive(Debug, Default)]
pub struct Challenges {
    answers: RwLock<HashMap<String, String>>,
}

impl Challenges {
    /// What `GET /.well-known/acme-challenge/{token}` answers, if the token is one of ours.
    pub fn answer(&self, token: &str) -> Option<String> {
        self.answers
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(token)
            .cloned()
    }

    fn set(&self, token: String, key_authorization: String) {
        self.answers
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(token, key_authorization);
    }

    fn clear(&self) {
        self.answers
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clear();
    }
}

/// The certificate in use: its chain and its key in one file, replaced whole (a stop between two
/// files could leave a key beside another certificate).
fn certificate_file(settings: &AcmeSettings) -> PathBuf {
    settings.dir.join("certificate.pem")
}

/// The account at this directory (one file per directory, so a test directory's account is
/// never sent to Let's Encrypt).
fn account_file(settings: &AcmeSettings) -> PathBuf {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(settings.directory.as_bytes());
    let name = data_encoding::HEXLOWER.encode(&digest[..8]);
    settings.dir.join(format!("account-{name}.json"))
}

/// Serves the kept certificate, if any, and keeps it current: checks now and then every
/// `check_every`, obtaining a certificate when one is due (retried every minute, at most, while
/// the authority refuses or cannot be reached).
pub fn start(
    settings: AcmeSettings,
    certificate: Arc<Certificate>,
    challenges: Arc<Challenges>,
) -> anyhow::Result<()> {
    std::fs::create_dir_all(&settings.dir)
        .with_context(|| format!("MARQUEE_ACME_DIR: cannot create {}", settings.dir.display()))?;
    match kept(&settings) {
        Ok(Some(kept)) => certificate.set(kept.key),
        Ok(None) => {}
        Err(error) => tracing::warn!(
            error = format!("{error:#}"),
            "the kept certificate does not load; a new one will be asked for"
        ),
    }
    tokio::spawn(async move {
        let mut failures = 0u32;
        loop {
            let wait = match renew_if_due(&settings, &certificate, &challenges).await {
                Ok(()) => {
                    failures = 0;
                    settings.check_every
                }
                Err(error) => {
                    failures += 1;
                    tracing::error!(
                        error = format!("{error:#}"),
                        directory = settings.directory,
                        "cannot obtain a certificate over ACME; trying again"
                    );
                    // 5 s, 10 s, 20 s… up to a minute, or the usual check if that is sooner.
                    Duration::from_secs(5 << failures.min(4).saturating_sub(1))
                        .min(Duration::from_secs(60))
                        .min(settings.check_every)
                }
            };
            challenges.clear();
            tokio::time::sleep(wait).await;
        }
    });
    Ok(())
}

/// A certificate found in the folder.
struct Kept {
    key: rustls::sign::CertifiedKey,
    /// Seconds from now to its expiry (negative once expired).
    remaining: i64,
    domains: Vec<String>,
}

fn kept(settings: &AcmeSettings) -> anyhow::Result<Option<Kept>> {
    let path = certificate_file(settings);
    if !path.exists() {
        return Ok(None);
    }
    let both = std::fs::read(&path)?;
    let key = certified_key(&both, &both)?;
    let leaf = key.cert.first().context("no certificate")?;
    let (_, parsed) = x509_parser::parse_x509_certificate(leaf.as_ref())
        .map_err(|e| anyhow::anyhow!("the kept certificate does not parse: {e}"))?;
    let remaining = parsed.validity().not_after.timestamp() - chrono::Utc::now().timestamp();
    let domains = parsed
        .subject_alternative_name()
        .ok()
        .flatten()
        .map(|names| {
            names
                .value
                .general_names
                .iter()
                .filter_map(|name| match name {
                    x509_parser::extensions::GeneralName::DNSName(dns) => {
                        Some(dns.to_ascii_lowercase())
                    }
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(Some(Kept {
        key,
        remaining,
        domains,
    }))
}

/// Asks for a certificate if the kept one is missing, names fewer domains than configured, or
/// expires within `renew_before`; serves the new one at once.
async fn renew_if_due(
    settings: &AcmeSettings,
    certificate: &Certificate,
    challenges: &Challenges,
) -> anyhow::Result<()> {
    let due = match kept(settings) {
        Ok(Some(kept)) => {
            let covers = settings.domains.iter().all(|d| kept.domains.contains(d));
            let renew_before = i64::try_from(settings.renew_before.as_secs()).unwrap_or(i64::MAX);
            if covers && kept.remaining > renew_before {
                if !certificate.is_set() {
                    certificate.set(kept.key);
                }
                return Ok(());
            }
            if covers {
                format!("expires in {} days", kept.remaining / 86_400)
            } else {
                "names other domains".to_owned()
            }
        }
        Ok(None) => "none yet".to_owned(),
        Err(error) => format!("unreadable ({error:#})"),
    };
    tracing::info!(domains = ?settings.domains, certificate = due, "asking for a certificate over ACME");
    let (chain, key) = obtain(settings, challenges).await?;
    let loaded = certified_key(chain.as_bytes(), key.as_bytes())
        .context("the authority's certificate does not load")?;
    write_owner_only(
        &certificate_file(settings),
        format!("{}\n{key}", chain.trim_end()).as_bytes(),
    )?;
    certificate.set(loaded);
    tracing::info!(domains = ?settings.domains, "new certificate in use");
    Ok(())
}

/// One order: the account (made once, kept), the HTTP-01 challenges, the finalisation with a
/// new key. The certificate chain and its key, as PEM.
async fn obtain(
    settings: &AcmeSettings,
    challenges: &Challenges,
) -> anyhow::Result<(String, String)> {
    let account = account(settings).await?;
    let identifiers = settings
        .domains
        .iter()
        .map(|d| Identifier::Dns(d.clone()))
        .collect::<Vec<_>>();
    let mut order = account
        .new_order(&NewOrder::new(&identifiers))
        .await
        .context("the authority refused the order")?;
    let mut authorizations = order.authorizations();
    while let Some(authorization) = authorizations.next().await {
        let mut authorization = authorization.context("cannot read an authorization")?;
        match authorization.status {
            AuthorizationStatus::Pending => {}
            AuthorizationStatus::Valid => continue,
            other => bail!("an authorization is {other:?}"),
        }
        let mut challenge = authorization
            .challenge(ChallengeType::Http01)
            .context("the authority offers no HTTP-01 challenge")?;
        challenges.set(
            challenge.token.clone(),
            challenge.key_authorization().as_str().to_owned(),
        );
        challenge
            .set_ready()
            .await
            .context("cannot tell the authority the challenge is ready")?;
    }
    let patience = RetryPolicy::new().timeout(Duration::from_secs(120));
    let status = order
        .poll_ready(&patience)
        .await
        .context("the order did not become ready")?;
    if status != OrderStatus::Ready {
        let problems = order
            .authorizations()
            .next()
            .await
            .and_then(Result::ok)
            .map(|a| {
                format!(
                    "{:?}",
                    a.challenges
                        .iter()
                        .filter_map(|c| c.error.as_ref())
                        .collect::<Vec<_>>()
                )
            })
            .unwrap_or_default();
        bail!(
            "the order is {status:?} (is port 80 of {} this server?) {problems}",
            settings.domains.join(", ")
        );
    }
    let key = order
        .finalize()
        .await
        .context("cannot finalise the order")?;
    let chain = order
        .poll_certificate(&patience)
        .await
        .context("the certificate was not issued")?;
    Ok((chain, key))
}

/// The account at the configured directory: read from its file, or made and written there.
async fn account(settings: &AcmeSettings) -> anyhow::Result<Account> {
    let builder = || match &settings.root {
        Some(root) => Account::builder_with_root(root)
            .with_context(|| format!("MARQUEE_ACME_ROOT_FILE: cannot use {}", root.display())),
        None => Account::builder().context("cannot set up the ACME client"),
    };
    let path = account_file(settings);
    if let Ok(text) = std::fs::read_to_string(&path) {
        let credentials: AccountCredentials = serde_json::from_str(&text)
            .with_context(|| format!("{} is damaged", path.display()))?;
        return builder()?
            .from_credentials(credentials)
            .await
            .context("cannot reach the ACME directory");
    }
    let contact = settings
        .contact
        .iter()
        .map(|c| {
            if c.starts_with("mailto:") {
                c.clone()
            } else {
                format!("mailto:{c}")
            }
        })
        .collect::<Vec<_>>();
    let contact = contact.iter().map(String::as_str).collect::<Vec<_>>();
    let (account, credentials) = builder()?
        .create(
            &NewAccount {
                contact: &contact,
                terms_of_service_agreed: true,
                only_return_existing: false,
            },
            settings.directory.clone(),
            None,
        )
        .await
        .context("cannot create an ACME account")?;
    write_owner_only(&path, serde_json::to_string(&credentials)?.as_bytes())?;
    Ok(account)
}

/// Writes a file whole (to a temporary name, then renamed), readable by its owner only.
fn write_owner_only(path: &Path, contents: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let temporary = path.with_extension("new");
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&temporary)
        .with_context(|| format!("cannot write {}", temporary.display()))?;
    file.write_all(contents)?;
    file.sync_all()?;
    std::fs::rename(&temporary, path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}
